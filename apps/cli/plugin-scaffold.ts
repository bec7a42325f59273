import { Config, pluginDirs } from '@brickyard/config';
import * as fs from 'node:fs';
import * as path from 'node:path';

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** Writes a new plugin folder into the first PLUGINS_DIR folder; refuses to overwrite one. */
export function scaffoldPlugin(config: Config, name: string): string {
  const dir = path.join(pluginDirs(config)[0]!, name);
  if (fs.existsSync(dir)) throw new Error(`${dir} already exists: choose another name or remove it`);
  const Name = pascal(name);
  const table = `${name.replace(/-/g, '_')}_items`;
  const stamp = Date.now();
  const files: Record<string, string> = {
    'plugin.json': JSON.stringify(
      { name, version: '0.1.0', title: Name, description: `The ${name} plugin.`, author: '', brickyard: '^1', server: 'server/index.ts', client: 'client/index.ts' },
      null,
      2,
    ) + '\n',
    'server/index.ts': `import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { Create${Name}Items${stamp} } from '../migrations/${stamp}-create-items';
import { ${Name}Controller } from './${name}.controller';
import { ${Name}Item } from './${name}-item.entity';
import { ${Name}Service } from './${name}.service';

@Module({ controllers: [${Name}Controller], providers: [${Name}Service] })
class ${Name}Module {}

export default definePlugin({
  module: ${Name}Module,
  entities: [${Name}Item],
  migrations: [Create${Name}Items${stamp}],
});
`,
    [`server/${name}.controller.ts`]: `import { ZodPipe } from '@brickyard/sdk';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { z } from 'zod';
import { ${Name}Service } from './${name}.service';

/** What POST /items takes; the pipe refuses anything else with a 400 that names the field. */
const newItem = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** Mounted under /api/plugins/${name}/. */
@Controller()
export class ${Name}Controller {
  constructor(private readonly service: ${Name}Service) {}

  @Get()
  hello() {
    return { plugin: '${name}', message: 'It works: edit server/${name}.controller.ts and save.' };
  }

  @Get('items')
  list() {
    return this.service.list();
  }

  @Post('items')
  add(@Body(new ZodPipe(newItem, 'item', 'send {"name": "…"} with 1 to 100 characters')) body: z.infer<typeof newItem>) {
    return this.service.add(body.name);
  }
}
`,
    [`server/${name}.service.ts`]: `import { InjectRepository } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { ${Name}Item } from './${name}-item.entity';

@Injectable()
export class ${Name}Service {
  constructor(@InjectRepository(${Name}Item) private readonly items: Repository<${Name}Item>) {}

  list(): Promise<${Name}Item[]> {
    return this.items.find({ order: { id: 'ASC' } });
  }

  add(name: string): Promise<${Name}Item> {
    return this.items.save(this.items.create({ name }));
  }
}
`,
    [`server/${name}-item.entity.ts`]: `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Tables of a plugin are prefixed with its name. */
@Entity('${table}')
export class ${Name}Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;
}
`,
    [`migrations/${stamp}-create-items.ts`]: `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Create${Name}Items${stamp} implements MigrationInterface {
  name = 'Create${Name}Items${stamp}';

  async up(db: QueryRunner): Promise<void> {
    await db.query(\`CREATE TABLE ${table} (
      id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4\`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ${table}');
  }
}
`,
    [`test/${name}.test.ts`]: `import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Runs the plugin alone in a real server, on a fresh database (see libs/testing).
let server: TestServer;
beforeAll(async () => {
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'));
}, 120_000);
afterAll(() => server?.stop());

test('answers on its route', async () => {
  const response = await fetch(\`\${server.url}/api/plugins/${name}/\`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ plugin: '${name}' });
});

test('stores items in its table', async () => {
  const created = await fetch(\`\${server.url}/api/plugins/${name}/items\`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'first' }),
  });
  expect(created.status).toBe(201);
  const items: any = await (await fetch(\`\${server.url}/api/plugins/${name}/items\`)).json();
  expect(items.map((item: { name: string }) => item.name)).toEqual(['first']);
});

test('the server compiled its client: /api/plugins lists the bundle', async () => {
  const plugins: any = await (await fetch(\`\${server.url}/api/plugins\`)).json();
  const plugin = plugins.find((p: { name: string }) => p.name === '${name}');
  expect(plugin.client).toMatch(/^\\/assets\\/plugins\\/${name}\\/.+\\.js$/);
  expect((await fetch(server.url + plugin.client)).status).toBe(200);
});

test('refuses an item without a name', async () => {
  const response = await fetch(\`\${server.url}/api/plugins/${name}/items\`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({}),
  });
  expect(response.status).toBe(400);
});
`,
    ...clientFiles(name, Name),
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/**
 * The plugin's browser side: a page at /plugins/<name>/ listing its items, its
 * menu entry, a panel on every part page, and a component test (rendered by
 * Vue's server renderer: no browser needed).
 */
function clientFiles(name: string, Name: string): Record<string, string> {
  return {
    'client/index.ts': `import { defineClientPlugin } from '@brickyard/client';
import ${Name}Page from './${Name}Page.vue';
import ${Name}Panel from './${Name}Panel.vue';

/** Compiled by the server when the plugin loads; open pages pick up every change within a second. */
export default defineClientPlugin({
  routes: [{ path: '', component: ${Name}Page }],
  menu: [{ title: '${Name}', to: '' }],
  slots: { 'part.panels': { component: ${Name}Panel, title: '${Name}' } },
});
`,
    [`client/${Name}Page.vue`]: `<script setup lang="ts">
import { api } from '@brickyard/client';
import { onMounted, ref } from 'vue';

/** The plugin's page, at /plugins/${name}/: its items, from its own API. */
const items = ref<{ id: number; name: string }[]>([]);
const problem = ref<string | null>(null);

onMounted(async () => {
  try {
    items.value = await api.get('/api/plugins/${name}/items');
  } catch (error) {
    problem.value = (error as Error).message;
  }
});
</script>

<template>
  <div class="container-xl page-body">
    <h1 class="page-title">${Name}</h1>
    <p class="text-body-secondary">Edit <code>client/${Name}Page.vue</code> and save: this page changes while it is open.</p>
    <div v-if="problem" class="alert alert-warning" role="alert">{{ problem }}</div>
    <p v-else-if="!items.length" class="text-body-secondary">No items yet.</p>
    <ul v-else class="${name}-items">
      <li v-for="item in items" :key="item.id">{{ item.name }}</li>
    </ul>
  </div>
</template>

<style scoped>
.${name}-items {
  max-width: 40rem;
}
</style>
`,
    [`client/${Name}Panel.vue`]: `<script setup lang="ts">
/** A panel on every part page; the shell gives it the part. */
const props = defineProps<{ part: { part_name: string } }>();
</script>

<template>
  <!-- \`panel\` and \`panel-title\` are the part page's own panel styles. -->
  <section class="panel">
    <h2 class="panel-title">${Name}</h2>
    <p class="mb-0">Notes on <strong>{{ props.part.part_name }}</strong> go here.</p>
  </section>
</template>
`,
    [`test/${name}.client.test.ts`]: `import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { expect, test } from 'vitest';
import plugin from '../client/index';
import ${Name}Panel from '../client/${Name}Panel.vue';

// The client's components, rendered to HTML by Vue itself (no browser, no server).
test('its panel names the part it is shown on', async () => {
  const html = await renderToString(createSSRApp(${Name}Panel, { part: { part_name: 'BBa_B0015' } }));
  expect(html).toContain('Notes on <strong>BBa_B0015</strong>');
});

test('it declares its page, menu entry and part panel', () => {
  expect(plugin.routes?.map((route) => route.path)).toEqual(['']);
  expect(plugin.menu).toEqual([{ title: '${Name}', to: '' }]);
  expect(plugin.slots?.['part.panels']).toMatchObject({ component: ${Name}Panel });
});
`,
  };
}
