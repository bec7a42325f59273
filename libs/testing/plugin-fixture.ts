import * as fs from 'node:fs';
import * as path from 'node:path';

export type PluginFiles = Record<string, string>;

/** Writes files (paths relative to `dir`, folders created as needed) and returns `dir`. */
export function writeFiles(dir: string, files: PluginFiles): string {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/**
 * Writes a plugin folder from file contents; `plugin.json` defaults to a valid
 * manifest for `name`, and `server/index.ts` to a plugin answering `GET /` with `answer`.
 */
export function writePlugin(parent: string, name: string, files: PluginFiles = {}, answer = 'hello'): string {
  const dir = path.join(parent, name);
  const all: PluginFiles = {
    'plugin.json': JSON.stringify({ name, version: '1.0.0', title: name, brickyard: '^1', server: 'server/index.ts' }),
    'server/index.ts': `
      import { definePlugin } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      @Controller() class AnswerController { @Get() get() { return { answer: ${JSON.stringify(answer)} }; } }
      @Module({ controllers: [AnswerController] }) class AnswerModule {}
      export default definePlugin({ module: AnswerModule });
    `,
    ...files,
  };
  // Write to a temporary folder and rename it in, so a watcher never sees half a plugin.
  const staging = path.join(parent, `.${name}.staging`);
  fs.rmSync(staging, { recursive: true, force: true });
  writeFiles(staging, all);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}
