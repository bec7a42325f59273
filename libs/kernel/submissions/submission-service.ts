import { brickyardHome } from '@brickyard/config';
import { BrickyardError, type Identity } from '@brickyard/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine';
import { readManifest } from '../manifest';
import { reservedNameReason } from '../reserved-names';
import { fetchPinnedTree, quarantineRoot, type TreeFile } from './git-fetch';
import { checkRef, checkRepositoryUrl } from './repository-address';
import { SubmissionsRepository, type Submission, type SubmissionState } from './submissions.repository';
import { configuredPluginNames } from './submitted-plugins-folder';

/** What the mounted plugin of an approved submission reached (table `plugins`). */
export interface SubmissionPluginStatus {
  enabled: boolean;
  status: string;
  lastError: string | null;
}

export type SubmissionView = Submission & { plugin: SubmissionPluginStatus | null };

const NOTICE_CATEGORY = 'Plugins';

/** The raw `plugin.json` of a tree, when it parses: shown to the admin even when it is invalid. */
function rawManifest(files: readonly TreeFile[]): Record<string, unknown> | null {
  const file = files.find((f) => f.path === 'plugin.json');
  if (!file) return null;
  try {
    const value = JSON.parse(file.content.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The manifest validator reads a folder: the tree is written to a quarantine folder for it (never PLUGINS_DIR), then removed. */
function validateTree(home: string, files: readonly TreeFile[]): { problem: string | null } {
  const dir = fs.mkdtempSync(path.join(quarantineRoot(home), 'check-'));
  try {
    for (const file of files) {
      const target = path.resolve(dir, file.path);
      if (!target.startsWith(dir + path.sep)) return { problem: `${file.path} is outside the plugin folder` };
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content, { mode: 0o600 });
    }
    readManifest(dir);
    return { problem: null };
  } catch (error) {
    return { problem: (error as Error).message.replace(` in ${dir}`, '') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Plugins that users submit (docs/plugin-submissions.md): a signed-in user
 * submits a repository and a ref; the server fetches the pinned commit into
 * quarantine, validates its manifest and stores its files; an admin approves
 * it with the capabilities they tick, or rejects it with a reason, and the
 * submitter gets a notice either way. Approved files reach every host through
 * the database (submitted-plugins-folder.ts).
 */
export class SubmissionService {
  readonly repository: SubmissionsRepository;

  constructor(private readonly engine: Engine) {
    this.repository = new SubmissionsRepository(engine.db);
  }

  async submit(who: Identity, input: { url: string; ref: string }): Promise<SubmissionView> {
    const config = this.engine.config();
    const allowFileUrls = config.get('PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS');
    const url = checkRepositoryUrl(input.url, allowFileUrls);
    const ref = checkRef(input.ref);
    await this.throttle(who, config.get('PLUGIN_SUBMISSIONS_PER_HOUR'));

    const home = brickyardHome(config);
    const tree = await fetchPinnedTree(home, url, ref, {
      maxFiles: config.get('PLUGIN_SUBMISSIONS_MAX_FILES'),
      maxBytes: config.get('PLUGIN_SUBMISSIONS_MAX_BYTES'),
      timeoutMs: config.get('PLUGIN_SUBMISSIONS_FETCH_TIMEOUT_MS'),
      allowFileUrls,
    });
    const manifest = rawManifest(tree.files);
    const name = typeof manifest?.name === 'string' && /^[a-z][a-z0-9-]{1,40}$/.test(manifest.name) ? manifest.name : null;
    let { problem } = validateTree(home, tree.files);
    if (!problem && name) problem = reservedNameReason(name) ?? null;
    if (name) {
      if (configuredPluginNames(config).has(name)) {
        throw new BrickyardError('conflict', `a plugin named "${name}" is already installed on this server (built in or in PLUGINS_DIR): rename yours in plugin.json`);
      }
      const owner = await this.repository.ownerOfName(name);
      if (owner && owner.userId !== who.userId && who.role !== 'admin') {
        throw new BrickyardError('conflict', `the plugin name "${name}" belongs to another user's submission: rename yours in plugin.json`);
      }
    }
    const requested = Array.isArray(manifest?.capabilities) ? (manifest.capabilities as unknown[]).filter((c): c is string => typeof c === 'string') : [];
    const id = await this.repository.insert({
      userId: who.userId!,
      username: who.username ?? null,
      url,
      ref,
      commit: tree.commit,
      name,
      version: typeof manifest?.version === 'string' ? manifest.version.slice(0, 64) : null,
      title: typeof manifest?.title === 'string' ? manifest.title.slice(0, 200) : null,
      manifest,
      requested: requested.slice(0, 50),
      state: problem ? 'invalid' : 'pending',
      problem,
      files: tree.files,
      totalBytes: tree.totalBytes,
    });
    this.engine.logger.info({ submission: id, plugin: name, commit: tree.commit, user: who.userId, state: problem ? 'invalid' : 'pending' }, 'plugin submitted');
    return (await this.view(id))!;
  }

  /** A submission with the state of its mounted plugin (when approved). */
  async view(id: number): Promise<SubmissionView | undefined> {
    const submission = await this.repository.find(id);
    return submission ? (await this.withPluginStatus([submission]))[0] : undefined;
  }

  async list(filter: { userId?: string; state?: SubmissionState }): Promise<SubmissionView[]> {
    return this.withPluginStatus(await this.repository.list({ ...filter, limit: 200 }));
  }

  /** A submission its owner or an admin may read; others are told it does not exist. */
  async readable(who: Identity, id: number): Promise<SubmissionView> {
    const submission = await this.view(id);
    if (!submission || (who.role !== 'admin' && submission.userId !== who.userId)) throw new BrickyardError('not_found', `you have no plugin submission ${id}`);
    return submission;
  }

  async approve(who: Identity, id: number, capabilities: string[]) {
    const submission = await this.pendingOne(id, 'approve');
    const name = submission.name!;
    const unknown = capabilities.filter((c) => !submission.requested.includes(c));
    if (unknown.length) {
      throw new BrickyardError('invalid_params', `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not requested by ${name}: tick only capabilities its plugin.json asks for`);
    }
    if (configuredPluginNames(this.engine.config()).has(name)) {
      throw new BrickyardError('conflict', `a plugin named "${name}" is now installed on this server (built in or in PLUGINS_DIR): reject this submission`);
    }
    const granted = [...new Set(capabilities)];
    if (!(await this.repository.approve(id, name, granted, who.username ?? who.userId ?? 'admin'))) {
      throw new BrickyardError('conflict', `submission ${id} was decided meanwhile: reload the list`);
    }
    await this.engine.pluginState.addMissing([name]);
    await this.engine.pluginState.setEnabled(name, true);
    const reload = await this.engine.reloadCluster(`plugin submission ${id} (${name} ${submission.version}) approved`);
    const missing = submission.requested.filter((c) => !granted.includes(c));
    const withheld = missing.length ? ` Not granted: ${missing.join(', ')}, so it does not run until an admin grants them.` : '';
    await this.notify(submission, who, `Your plugin [[${name} ${submission.version}]]((plugin-submission))((${id})) was approved.${withheld}`);
    return { submission: (await this.view(id))!, reload };
  }

  async reject(who: Identity, id: number, reason: string) {
    const submission = await this.pendingOne(id, 'reject');
    if (!(await this.repository.reject(id, reason, who.username ?? who.userId ?? 'admin'))) {
      throw new BrickyardError('conflict', `submission ${id} was decided meanwhile: reload the list`);
    }
    await this.notify(submission, who, `Your plugin [[${submission.name} ${submission.version}]]((plugin-submission))((${id})) was not approved: ${reason}`);
    return { submission: (await this.view(id))! };
  }

  private async pendingOne(id: number, action: string): Promise<Submission> {
    const submission = await this.repository.find(id);
    if (!submission) throw new BrickyardError('not_found', `no plugin submission ${id}`);
    if (submission.state === 'invalid') throw new BrickyardError('conflict', `submission ${id} cannot be approved or rejected: it is invalid (${submission.problem})`);
    if (submission.state !== 'pending') throw new BrickyardError('conflict', `submission ${id} is ${submission.state}, not pending: only pending submissions can be ${action === 'approve' ? 'approved' : 'rejected'}`);
    return submission;
  }

  private async notify(submission: Submission, reviewer: Identity, message: string): Promise<void> {
    try {
      await this.engine.notices.send('core', submission.userId, {
        category: NOTICE_CATEGORY,
        message,
        target: { type: 'plugin-submission', id: String(submission.id) },
        actorId: reviewer.userId === submission.userId ? undefined : reviewer.userId,
      });
    } catch (error) {
      this.engine.logger.warn({ err: error, submission: submission.id }, 'could not send the notice of a plugin review');
    }
  }

  /** At most `perHour` submissions per user and hour (admins are not counted): each one fetches a repository. */
  private async throttle(who: Identity, perHour: number): Promise<void> {
    if (who.role === 'admin') return;
    const key = `${this.engine.namespace}:plugin-submissions:${who.userId}:${Math.floor(Date.now() / 3_600_000)}`;
    const count = await this.engine.redis.commands.incr(key);
    if (count === 1) await this.engine.redis.commands.pexpire(key, 3_600_000);
    if (count > perHour) throw new BrickyardError('rate_limited', `you have submitted ${perHour} plugins this hour, the most allowed (PLUGIN_SUBMISSIONS_PER_HOUR): try again within the hour`);
  }

  private async withPluginStatus(submissions: Submission[]): Promise<SubmissionView[]> {
    const rows = new Map((await this.engine.pluginState.list()).map((row) => [row.name, row]));
    return submissions.map((s) => {
      const row = s.state === 'approved' && s.name ? rows.get(s.name) : undefined;
      return { ...s, plugin: row ? { enabled: row.enabled, status: row.status, lastError: row.last_error } : null };
    });
  }
}
