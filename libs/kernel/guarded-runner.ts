import type { DataSource, QueryRunner } from 'typeorm';
import { checkStatement, StatementRefused, type TableScope } from './statement-guard';

/**
 * A query runner whose statements pass the plugin's table check first: `query`
 * (which every TypeORM schema and data method calls) and `stream`. `strict`
 * (migrations) also refuses the runner's manager and connection, which would
 * reach the host's pool without the check; a migration uses `query`.
 */
export function guardRunner(runner: QueryRunner, tables: TableScope, strict = false): QueryRunner {
  return new Proxy(runner, {
    get(target, property, receiver) {
      if (property === 'query' || property === 'stream') {
        const method = target[property] as (...args: unknown[]) => unknown;
        return (sql: string, ...rest: unknown[]) => {
          checkStatement(sql, tables);
          return method.call(receiver, sql, ...rest);
        };
      }
      if (strict && (property === 'manager' || property === 'connection')) {
        throw new StatementRefused(`plugin ${tables.plugin}'s migrations run their SQL with queryRunner.query(), not queryRunner.${String(property)}`);
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(receiver) : value;
    },
  });
}

/** Makes every statement of a DataSource's query runners (its repositories', its `query`) pass the plugin's table check. */
export function guardDataSource(dataSource: DataSource, tables: TableScope): void {
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = ((mode?: 'master' | 'slave') => guardRunner(create(mode), tables)) as typeof dataSource.createQueryRunner;
}
