import { writePlugin } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Generated benchmark plugins: a controller answering `GET /` with `{ answer }`,
 * and (every `entityEvery`-th plugin) an entity, a service using its repository
 * and a migration creating its table, like a real feature plugin.
 */

export const pluginName = (i: number) => `bench-${String(i).padStart(2, '0')}`;

const tableOf = (name: string) => `${name.replace(/-/g, '_')}_items`;

function controllerSource(withEntity: boolean, answer: string): string {
  if (!withEntity) {
    return `
import { Controller, Get } from '@nestjs/common';

@Controller()
export class AnswerController {
  @Get()
  get() {
    return { answer: ${JSON.stringify(answer)} };
  }
}
`;
  }
  return `
import { Controller, Get } from '@nestjs/common';
import { ItemsService } from './items.service';

@Controller()
export class AnswerController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  get() {
    return { answer: ${JSON.stringify(answer)} };
  }

  @Get('count')
  count() {
    return this.items.count();
  }
}
`;
}

function entityFiles(name: string): Record<string, string> {
  const table = tableOf(name);
  return {
    'server/item.entity.ts': `
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity(${JSON.stringify(table)})
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamp', precision: 3 })
  createdAt!: Date;
}
`,
    'server/items.service.ts': `
import { InjectRepository } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { Item } from './item.entity';

@Injectable()
export class ItemsService {
  constructor(@InjectRepository(Item) private readonly items: Repository<Item>) {}

  async count() {
    return { count: await this.items.count() };
  }
}
`,
    'migrations/1700000000000-create-items.ts': `
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateItems1700000000000 implements MigrationInterface {
  name = 'CreateItems1700000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(\`CREATE TABLE ${table} (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      label VARCHAR(100) NOT NULL,
      created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB\`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ${table}');
  }
}
`,
    'server/index.ts': `
import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { CreateItems1700000000000 } from '../migrations/1700000000000-create-items';
import { AnswerController } from './answer.controller';
import { Item } from './item.entity';
import { ItemsService } from './items.service';

@Module({ controllers: [AnswerController], providers: [ItemsService] })
class BenchModule {}

export default definePlugin({ module: BenchModule, entities: [Item], migrations: [CreateItems1700000000000] });
`,
  };
}

function plainIndex(): string {
  return `
import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { AnswerController } from './answer.controller';

@Module({ controllers: [AnswerController] })
class BenchModule {}

export default definePlugin({ module: BenchModule });
`;
}

export interface BenchPlugin {
  name: string;
  dir: string;
  withEntity: boolean;
  /** Rewrites the controller with a new answer: a code change (new checksum, new build). */
  setAnswer(answer: string): void;
}

export function writeBenchPlugin(parent: string, name: string, withEntity: boolean, answer = 'v0'): BenchPlugin {
  const files: Record<string, string> = withEntity ? entityFiles(name) : { 'server/index.ts': plainIndex() };
  files['server/answer.controller.ts'] = controllerSource(withEntity, answer);
  const dir = writePlugin(parent, name, files);
  const controller = path.join(dir, 'server', 'answer.controller.ts');
  return {
    name,
    dir,
    withEntity,
    setAnswer: (next) => fs.writeFileSync(controller, controllerSource(withEntity, next)),
  };
}

/** `count` plugins in `parent`; every third one (starting with the first) has an entity. */
export function writeBenchPlugins(parent: string, count: number): BenchPlugin[] {
  return Array.from({ length: count }, (_, i) => writeBenchPlugin(parent, pluginName(i), i % 3 === 0));
}
