import { brickyardHome, pluginDirs, type Config } from '@brickyard/config';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { BUILTIN_PLUGINS_DIR } from '../discovery';
import type { TreeFile } from './git-fetch';
import { SubmissionsRepository } from './submissions.repository';

/**
 * This host's folder of approved submitted plugins, `$BRICKYARD_HOME/submitted-plugins/`:
 * one folder per plugin, named by its manifest name. It is discovered after
 * PLUGINS_DIR; nothing but the converge writes it.
 */
export function submittedPluginsDir(config: Config): string {
  return path.join(brickyardHome(config), 'submitted-plugins');
}

/** Every folder plugins are discovered in (besides the built-in one): PLUGINS_DIR, then the submitted plugins. */
export function allPluginDirs(config: Config): string[] {
  return [...pluginDirs(config), submittedPluginsDir(config)];
}

/** Names of the plugins found in the built-in folder and in PLUGINS_DIR (not the submitted ones). */
export function configuredPluginNames(config: Config): Set<string> {
  const names = new Set<string>();
  for (const root of [BUILTIN_PLUGINS_DIR, ...pluginDirs(config)]) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) if (fs.existsSync(path.join(root, entry.name, 'plugin.json'))) names.add(entry.name);
  }
  return names;
}

/** The file beside the plugin folders that records which commit a folder holds (dot-named: discovery ignores it). */
const markerOf = (root: string, name: string) => path.join(root, '.commits', name);

function readMarker(root: string, name: string): string | undefined {
  try {
    return fs.readFileSync(markerOf(root, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Writes `files` into a fresh folder next to `target`, then swaps it in with renames: discovery never sees half a plugin. */
export function writePluginFolderAtomically(root: string, name: string, files: readonly TreeFile[]): void {
  const unique = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const staging = path.join(root, `.staging-${name}-${unique}`);
  for (const file of files) {
    const target = path.resolve(staging, file.path);
    if (!target.startsWith(staging + path.sep)) throw new Error(`${file.path} would be written outside the plugin folder`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { mode: 0o644 });
  }
  const target = path.join(root, name);
  const trash = path.join(root, `.trash-${name}-${unique}`);
  let moved = false;
  try {
    fs.renameSync(target, trash);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another process of this host put the same approved version there first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  if (moved) fs.rmSync(trash, { recursive: true, force: true });
}

function removeFolder(root: string, name: string): void {
  const trash = path.join(root, `.trash-${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    fs.renameSync(path.join(root, name), trash);
  } catch {
    return;
  }
  fs.rmSync(trash, { recursive: true, force: true });
  fs.rmSync(markerOf(root, name), { force: true });
}

/**
 * Brings this host's folder of submitted plugins to the approved versions
 * stored in the database (run by every process's converge, before discovery):
 * a plugin whose folder holds another commit is rewritten, one no longer
 * approved is removed. A name that PLUGINS_DIR or the built-in folder now
 * holds is left out, so it never turns the configured plugin into a duplicate.
 * So every host mounts the same approved code, whichever host the admin used.
 */
export async function materialiseSubmittedPlugins(db: DataSource, config: Config, logger: Logger): Promise<void> {
  const root = submittedPluginsDir(config);
  const repository = new SubmissionsRepository(db);
  const approved = await repository.approved();
  const configured = configuredPluginNames(config);
  fs.mkdirSync(path.join(root, '.commits'), { recursive: true, mode: 0o700 });
  const wanted = new Set<string>();
  for (const plugin of approved) {
    if (configured.has(plugin.name)) {
      logger.warn({ plugin: plugin.name }, 'a submitted plugin has the name of a built-in or PLUGINS_DIR plugin: it is not mounted');
      continue;
    }
    wanted.add(plugin.name);
    if (readMarker(root, plugin.name) === plugin.commit && fs.existsSync(path.join(root, plugin.name, 'plugin.json'))) continue;
    writePluginFolderAtomically(root, plugin.name, await repository.files(plugin.id));
    fs.writeFileSync(markerOf(root, plugin.name), `${plugin.commit}\n`);
    logger.info({ plugin: plugin.name, commit: plugin.commit }, 'wrote the approved version of a submitted plugin');
  }
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) {
      // Leftovers of a process that died mid-write (old enough not to be another process's write in progress).
      const leftover = path.join(root, entry.name);
      if (/^\.(staging|trash)-/.test(entry.name) && Date.now() - fs.statSync(leftover).mtimeMs > 10 * 60_000) fs.rmSync(leftover, { recursive: true, force: true });
      continue;
    }
    if (!wanted.has(entry.name)) removeFolder(root, entry.name);
  }
}
