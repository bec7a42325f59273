import { renderSettingsTable } from '@brickyard/config';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { builtinPluginSettings } from '../../apps/cli/builtin-settings';

test("the README's settings table is the one the declarations render, the built-in plugins' included", async () => {
  const plugins = await builtinPluginSettings();
  expect(plugins.map((s) => s.section)).toEqual(expect.arrayContaining(['accounts', 'forum', 'parts']));
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme, 'run: npx brickyard config table --write README.md').toContain(renderSettingsTable(plugins));
});
