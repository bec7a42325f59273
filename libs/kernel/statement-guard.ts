/**
 * Checks the tables a SQL statement names against what a plugin may touch: its
 * own `<name>_` tables, and prefixes granted by `tables:<prefix>`. MySQL grants
 * cannot express "tables starting with", so the check reads the statement: the
 * tables after FROM, JOIN, INTO, UPDATE, TABLE (CREATE, ALTER, DROP, TRUNCATE,
 * RENAME), VIEW, and INDEX … ON. Names qualified with another database are
 * refused (the parts snapshot is read through the parts reader). Statements of
 * other kinds that change the schema or the server (GRANT, DATABASE, USER, …)
 * are refused outright. Plugins granted `database` are not checked.
 */
export class StatementRefused extends Error {}

const NAME = '(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const QUALIFIED = new RegExp(`^${NAME}(?:\\s*\\.\\s*${NAME})?`);
const TABLE_CONTEXT = /\b(FROM|JOIN|INTO|UPDATE|TABLE|TABLES|VIEW|EXISTS|ON|REFERENCES)\s+/gi;
const FORBIDDEN = /^\s*(GRANT|REVOKE|CREATE\s+(USER|DATABASE|SCHEMA|ROLE|SERVER|EVENT|TRIGGER|PROCEDURE|FUNCTION)|DROP\s+(USER|DATABASE|SCHEMA|ROLE|SERVER|EVENT|TRIGGER|PROCEDURE|FUNCTION)|ALTER\s+(USER|DATABASE|SCHEMA|SERVER|EVENT)|SET\s+(GLOBAL|PASSWORD|ROLE)|LOAD\s+DATA|SHUTDOWN|KILL|INSTALL|UNINSTALL|FLUSH|RESET|PURGE|CHANGE\s+MASTER|HANDLER|CALL|PREPARE|EXECUTE)\b/i;
/** Words that may follow a table context keyword without being a table. */
const NOT_A_TABLE = /^(SELECT|IF|NOT|EXISTS|DUAL|TEMPORARY|IGNORE|LOW_PRIORITY|DELAYED|HIGH_PRIORITY|ONLINE|OFFLINE|ALGORITHM|DEFINER|SQL|OR|REPLACE|UNIQUE|FULLTEXT|SPATIAL|DUPLICATE|DELETE|UPDATE|CASCADE|RESTRICT|SET|NULL|DEFAULT|KEY|VALUES|LATERAL|JSON_TABLE)$/i;

const unquote = (name: string) => (name.startsWith('`') ? name.slice(1, -1).replace(/``/g, '`') : name);

/** Strips string literals and comments so that words inside them are not read as table names. */
function code(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/"(?:[^"\\]|\\.|"")*"/g, '""')
    .replace(/--[^\n]*|#[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** The table names a statement touches, as `[database|undefined, table]`. Aliases and subqueries are skipped. */
export function tablesOf(sql: string): [string | undefined, string][] {
  const text = code(sql);
  const found: [string | undefined, string][] = [];
  for (const match of text.matchAll(TABLE_CONTEXT)) {
    const keyword = match[1]!.toUpperCase();
    // `ON DUPLICATE KEY UPDATE col = …` and `FOR UPDATE` name columns and locks, not tables.
    if (keyword === 'UPDATE' && /\b(KEY|FOR)\s*$/i.test(text.slice(0, match.index))) continue;
    let rest = text.slice(match.index! + match[0].length);
    // `RENAME TABLE a TO b, c TO d`, `DROP TABLE a, b`: every name of the list.
    for (let guard = 0; guard < 100; guard++) {
      const name = QUALIFIED.exec(rest);
      if (!name) break;
      const [, first, second] = name;
      if (!second && NOT_A_TABLE.test(first!)) {
        // `IF NOT EXISTS name`, `OR REPLACE … VIEW name`: skip the filler word and read on.
        rest = rest.slice(name[0].length).replace(/^\s+/, '');
        if (/^(IF|NOT|EXISTS|TEMPORARY|IGNORE|LOW_PRIORITY|DELAYED|HIGH_PRIORITY|ONLINE|OFFLINE)$/i.test(first!)) continue;
        break;
      }
      if (keyword === 'ON' && !/^\s*\(/.test(rest.slice(name[0].length))) break; // `JOIN x ON a.b = c.d`: not `INDEX i ON t (…)`
      found.push(second ? [unquote(first!), unquote(second)] : [undefined, unquote(first!)]);
      rest = rest.slice(name[0].length);
      // An alias (`FROM a AS x, b`) then a comma continues a list of tables; `TO` continues RENAME.
      const next = /^\s*(?:(?:AS\s+)?(?!(?:WHERE|ORDER|GROUP|LIMIT|JOIN|LEFT|RIGHT|INNER|CROSS|STRAIGHT_JOIN|ON|USING|SET|VALUES|SELECT|HAVING|UNION|FOR|WINDOW|PARTITION|USE|FORCE|IGNORE)\b)(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_$]*)\s*)?(?:TO\s+|,\s*)/i.exec(rest);
      if (!next || keyword === 'JOIN') break;
      rest = rest.slice(next[0].length);
    }
  }
  return found;
}

export interface TableScope {
  plugin: string;
  /** The app database's name: names qualified with it are the same as unqualified ones. */
  database: string;
  /** Table name prefixes it may touch: `<name>_` and those granted. */
  prefixes: string[];
}

/** Throws a StatementRefused naming the first table outside the plugin's scope, or the forbidden statement. */
export function checkStatement(sql: string, scope: TableScope): void {
  if (FORBIDDEN.test(code(sql))) {
    throw new StatementRefused(`plugin ${scope.plugin} may not run ${code(sql).trim().split(/\s+/).slice(0, 2).join(' ')} statements`);
  }
  for (const [database, table] of tablesOf(sql)) {
    if (database !== undefined && database.toLowerCase() === 'information_schema' && /^\s*(SELECT|SHOW)\b/i.test(sql)) continue; // the catalogue, read by TypeORM's schema tools
    if (database !== undefined && database !== scope.database) {
      throw new StatementRefused(`plugin ${scope.plugin} may not use tables of database ${database} (statement names ${database}.${table}); read parts through context.parts, or request capability "database"`);
    }
    const lower = table.toLowerCase();
    if (scope.prefixes.some((prefix) => lower.startsWith(prefix))) continue;
    const own = scope.prefixes[0]!;
    throw new StatementRefused(
      `plugin ${scope.plugin} may only use tables named ${own}…, but a statement touches ${table}; rename it ${own}${table}, or request capability "tables:${lower.split('_')[0]}_" in plugin.json`,
    );
  }
}
