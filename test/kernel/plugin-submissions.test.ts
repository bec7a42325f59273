import { BrowserSession, startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Plugins that users submit (issue 14, item 3), against two real servers on one
// database (two hosts: own BRICKYARD_HOME, own port) and git repositories made
// here as bare repositories reached by file:// — no network. The first host
// allows file:// URLs (PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS), the second keeps
// the default (refused).
let first: TestServer;
let second: TestServer;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-submissions-'));
const alice = new BrowserSession(() => first.url);
const bob = new BrowserSession(() => first.url);

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Lab', GIT_AUTHOR_EMAIL: 'lab@example.org', GIT_COMMITTER_NAME: 'Lab', GIT_COMMITTER_EMAIL: 'lab@example.org', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** A plugin's files: a manifest (overridable) and a server answering GET / with `answer`. */
function pluginFiles(name: string, answer: string, manifest: Record<string, unknown> = {}): Record<string, string> {
  const staging = fs.mkdtempSync(path.join(scratch, 'files-'));
  writePlugin(staging, name, {}, answer);
  const files: Record<string, string> = {
    'plugin.json': JSON.stringify({ name, version: '1.0.0', title: `${name} plugin`, brickyard: '^1', server: 'server/index.ts', ...manifest }, null, 2),
    'server/index.ts': fs.readFileSync(path.join(staging, name, 'server', 'index.ts'), 'utf8'),
    'README.md': `# ${name}\n`,
  };
  fs.rmSync(staging, { recursive: true });
  return files;
}

/** Commits `files` (replacing the previous tree) to a work copy and pushes it to a bare repository; returns its file:// URL and the commit. */
function publish(repo: string, files: Record<string, string>, options: { tag?: string; symlink?: [string, string] } = {}): { url: string; commit: string } {
  const bare = path.join(scratch, `${repo}.git`);
  const work = path.join(scratch, `${repo}-work`);
  if (!fs.existsSync(bare)) {
    git(scratch, 'init', '--bare', '--quiet', '--initial-branch=main', bare);
    git(scratch, 'init', '--quiet', '--initial-branch=main', work);
    git(work, 'remote', 'add', 'origin', bare);
  }
  for (const entry of fs.readdirSync(work)) if (entry !== '.git') fs.rmSync(path.join(work, entry), { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    fs.writeFileSync(path.join(work, file), content);
  }
  if (options.symlink) fs.symlinkSync(options.symlink[1], path.join(work, options.symlink[0]));
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'plugin');
  if (options.tag) git(work, 'tag', options.tag);
  git(work, 'push', '--quiet', '--tags', 'origin', 'main');
  return { url: `file://${bare}`, commit: git(work, 'rev-parse', 'HEAD') };
}

const submit = (who: BrowserSession, url: string, ref = 'main') => who.call('POST', '/api/plugin-submissions', { url, ref });

async function answerOf(server: TestServer, route: string): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url + route);
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function noticesOf(who: BrowserSession): Promise<string[]> {
  return (await who.call('GET', '/api/notices')).body.items.map((n: { message: string }) => n.message);
}

beforeAll(async () => {
  first = await startTestServer({ env: { PLUGINS_WATCH: 'false', PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS: 'true', PLUGIN_SUBMISSIONS_PER_HOUR: '50', PLUGIN_SUBMISSIONS_MAX_BYTES: '65536' } });
  second = await startTestServer({ database: first.database, env: { PLUGINS_WATCH: 'false' } });
  expect((await alice.register('alice')).status).toBeLessThan(300);
  expect((await bob.register('bobby')).status).toBeLessThan(300);
}, 180_000);

afterAll(async () => {
  await second?.stop({ keepData: true });
  await first?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the review flow', () => {
  let submissionId: number;
  let firstCommit: string;

  test('a user submits a repository: the commit is pinned, the manifest and files are shown; others cannot read it', async () => {
    const { url, commit } = publish('notes', pluginFiles('lab-notes', 'first'));
    firstCommit = commit;
    const reply = await submit(alice, url, 'main');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ state: 'pending', name: 'lab-notes', version: '1.0.0', commit, username: 'alice', requested: [], problem: null });
    submissionId = reply.body.id;

    const mine = await alice.call('GET', `/api/plugin-submissions/${submissionId}`);
    expect(mine.body.files.map((f: { path: string }) => f.path)).toEqual(['plugin.json', 'README.md', 'server/index.ts']);
    expect(mine.body.manifest).toMatchObject({ name: 'lab-notes', title: 'lab-notes plugin' });
    const text = await first.admin('GET', `/api/plugin-submissions/${submissionId}/file?path=server/index.ts`);
    expect(text.body.text).toContain('"first"');

    expect((await bob.call('GET', `/api/plugin-submissions/${submissionId}`)).status).toBe(404);
    expect((await bob.call('GET', `/api/plugin-submissions/${submissionId}/file?path=plugin.json`)).status).toBe(404);
    expect((await bob.call('GET', '/api/plugin-submissions')).body).toEqual([]);
    expect((await alice.call('GET', '/api/plugin-submissions')).body.map((s: { id: number }) => s.id)).toEqual([submissionId]);
    // Nothing is mounted, nor written into PLUGINS_DIR, before an admin approves.
    expect((await answerOf(first, '/api/plugins/lab-notes/')).status).toBe(404);
    expect(fs.readdirSync(first.pluginsDir)).toEqual([]);
  });

  test('a non-admin gets 403 on every admin route, anonymous callers 401', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/plugin-submissions'],
      ['POST', `/api/admin/plugin-submissions/${submissionId}/approve`, { capabilities: [] }],
      ['POST', `/api/admin/plugin-submissions/${submissionId}/reject`, { reason: 'no thanks' }],
    ];
    for (const [method, route, body] of routes) {
      const reply = await alice.call(method, route, body);
      expect({ route, status: reply.status }).toEqual({ route, status: 403 });
      expect((await new BrowserSession(first.url).call(method, route, body)).status).toBe(401);
    }
    const anonymous = new BrowserSession(first.url);
    expect((await anonymous.call('POST', '/api/plugin-submissions', { url: 'https://example.org/x.git', ref: 'main' })).status).toBe(401);
    expect((await anonymous.call('GET', '/api/plugin-submissions')).status).toBe(401);
    expect((await anonymous.call('GET', `/api/plugin-submissions/${submissionId}`)).status).toBe(401);
  });

  test('the admin approves: the plugin mounts live on both hosts and the submitter gets a notice', async () => {
    const pending = await first.admin('GET', '/api/admin/plugin-submissions?state=pending');
    expect(pending.body.map((s: { id: number }) => s.id)).toContain(submissionId);
    const reply = await first.admin('POST', `/api/admin/plugin-submissions/${submissionId}/approve`, { capabilities: [] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.reload.ok).toBe(true);
    expect(reply.body.submission).toMatchObject({ state: 'approved', granted: [], reviewer: 'admin', plugin: { status: 'active', enabled: true } });
    expect((await answerOf(first, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'first' });
    // The other host has never seen the repository: it wrote the approved files from the database.
    expect((await answerOf(second, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'first' });
    expect(fs.readFileSync(path.join(second.home, 'submitted-plugins', '.commits', 'lab-notes'), 'utf8').trim()).toBe(firstCommit);
    expect(await noticesOf(alice)).toContainEqual(expect.stringContaining(`Your plugin [[lab-notes 1.0.0]]((plugin-submission))((${submissionId})) was approved.`));
    expect((await first.admin('POST', `/api/admin/plugin-submissions/${submissionId}/approve`, { capabilities: [] })).status).toBe(409);
  });

  test('an update is reviewed the same way; the approved version serves until the update is approved', async () => {
    const { url, commit } = publish('notes', pluginFiles('lab-notes', 'second', { version: '1.1.0' }), { tag: 'v1.1.0' });
    const update = await submit(alice, url, 'v1.1.0');
    expect(update.status, JSON.stringify(update.body)).toBe(201);
    expect(update.body).toMatchObject({ state: 'pending', version: '1.1.0', commit });
    // Another user may not take the name.
    const taken = await submit(bob, url, 'main');
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/belongs to another user/);
    expect((await answerOf(first, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'first' });
    expect((await first.admin('GET', `/api/plugin-submissions/${update.body.id}`)).body.replaces).toEqual({ id: submissionId, version: '1.0.0', commit: firstCommit });

    const approved = await first.admin('POST', `/api/admin/plugin-submissions/${update.body.id}/approve`, { capabilities: [] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await answerOf(first, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'second' });
    expect((await answerOf(second, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'second' });
    expect((await alice.call('GET', `/api/plugin-submissions/${submissionId}`)).body.state).toBe('superseded');

    // A full commit id is a ref too: the earlier commit, though no branch points to it any more.
    const byCommit = await submit(alice, url, firstCommit);
    expect(byCommit.status, JSON.stringify(byCommit.body)).toBe(201);
    expect(byCommit.body).toMatchObject({ state: 'pending', version: '1.0.0', commit: firstCommit, ref: firstCommit });
    expect((await first.admin('POST', `/api/admin/plugin-submissions/${byCommit.body.id}/reject`, { reason: 'An older version than the one serving.' })).status).toBe(200);
    expect((await answerOf(first, '/api/plugins/lab-notes/')).body).toEqual({ answer: 'second' });
  });

  test('a rejection carries its reason to the submitter; a rejected submission never mounts', async () => {
    const { url } = publish('scratchpad', pluginFiles('scratchpad', 'nope'));
    const reply = await submit(alice, url);
    expect(reply.status).toBe(201);
    expect((await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/reject`, { reason: '' })).status).toBe(400);
    const rejected = await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/reject`, { reason: 'It duplicates lab-notes.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.submission).toMatchObject({ state: 'rejected', reason: 'It duplicates lab-notes.' });
    expect(await noticesOf(alice)).toContainEqual(expect.stringContaining('was not approved: It duplicates lab-notes.'));
    expect((await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/approve`, { capabilities: [] })).status).toBe(409);
    expect((await answerOf(first, '/api/plugins/scratchpad/')).status).toBe(404);
  });
});

test('an invalid manifest is recorded as invalid with the problem, cannot be approved, and never mounts', async () => {
  const files = pluginFiles('broken-one', 'x');
  files['plugin.json'] = JSON.stringify({ name: 'broken-one', version: 'one', title: 'Broken', server: 'server/index.ts' });
  const { url } = publish('broken', files);
  const reply = await submit(bob, url);
  expect(reply.status).toBe(201);
  expect(reply.body.state).toBe('invalid');
  expect(reply.body.problem).toMatch(/"version" must be a semantic version/);
  expect(reply.body.problem).toMatch(/"brickyard" is required/);
  const approve = await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/approve`, { capabilities: [] });
  expect(approve.status).toBe(409);
  expect(approve.body.message).toMatch(/invalid/);
  expect((await answerOf(first, '/api/plugins/broken-one/')).status).toBe(404);
  const plugins = await first.admin('GET', '/api/admin/plugins');
  expect(plugins.body.map((p: { name: string }) => p.name)).not.toContain('broken-one');
});

test('a plugin approved without a capability it requests is shown failed and never mounts', async () => {
  const { url } = publish('shared', pluginFiles('shared-shelf', 'shelf', { capabilities: ['tables:shelf_', 'realtime:everyone'] }));
  const reply = await submit(bob, url);
  expect(reply.status).toBe(201);
  expect(reply.body.requested).toEqual(['tables:shelf_', 'realtime:everyone']);
  const unrequested = await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/approve`, { capabilities: ['database'] });
  expect(unrequested.status).toBe(400);
  expect(unrequested.body.message).toMatch(/database is not requested by shared-shelf/);

  const approved = await first.admin('POST', `/api/admin/plugin-submissions/${reply.body.id}/approve`, { capabilities: ['tables:shelf_'] });
  expect(approved.status).toBe(200);
  expect(approved.body.submission).toMatchObject({ state: 'approved', granted: ['tables:shelf_'], plugin: { status: 'failed' } });
  expect(approved.body.submission.plugin.lastError).toMatch(/requests capability "realtime:everyone", which is not granted/);
  expect((await answerOf(first, '/api/plugins/shared-shelf/')).status).toBe(404);
  expect((await answerOf(second, '/api/plugins/shared-shelf/')).status).toBe(404);
  const grants = (await first.admin('GET', '/api/admin/plugins')).body.find((p: { name: string }) => p.name === 'shared-shelf');
  expect(grants.capabilities).toMatchObject({ requested: ['tables:shelf_', 'realtime:everyone'], stored: ['tables:shelf_'] });
  expect(await noticesOf(bob)).toContainEqual(expect.stringContaining('Not granted: realtime:everyone'));
  // The operator's CLI on that host lists it too, with the capability it lacks.
  const listed = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'brickyard.js'), 'plugin', 'list'], {
    env: { ...process.env, DATABASE_URL: first.database.url, BRICKYARD_HOME: first.home, PLUGINS_DIR: first.pluginsDir },
    encoding: 'utf8',
  });
  expect(listed).toMatch(/shared-shelf.*realtime:everyone \(NOT granted\)/);
});

test('refusals: URLs, refs, transports, links, names, limits — each a 4xx that says what to do', async () => {
  const cases: [string, string, RegExp][] = [
    ['ext::sh -c touch% /tmp/pwned', 'main', /must not contain spaces|ext::/],
    ['ext::sh', 'main', /remote helpers \(ext:: runs a command\)/],
    ['ssh://git@example.org/lab/x.git', 'main', /must start with https:\/\//],
    ['git@github.com:lab/x.git', 'main', /not a URL/],
    ['http://example.org/lab/x.git', 'main', /plain http is not accepted/],
    ['https://user:secret@example.org/lab/x.git', 'main', /must not carry a user name or password/],
    ['--upload-pack=touch /tmp/pwned', 'main', /must not (start with "-"|contain spaces)/],
    ['https://example.org/lab/x.git', '--upload-pack=touch', /starts with "-"/],
    ['https://example.org/lab/x.git', 'a..b', /not a branch, tag or commit id/],
    ['https://example.org/lab/x.git', '', /give a branch, a tag or a commit id/],
  ];
  for (const [url, ref, message] of cases) {
    const reply = await submit(alice, url, ref);
    expect({ url, ref, status: reply.status }).toEqual({ url, ref, status: 400 });
    expect(reply.body.message, url).toMatch(message);
  }
  expect(fs.existsSync('/tmp/pwned')).toBe(false);

  const { url } = publish('links', pluginFiles('linky', 'x'), { symlink: ['secret', '/etc/passwd'] });
  const link = await submit(alice, url);
  expect(link.status).toBe(400);
  expect(link.body.message).toMatch(/secret is a symbolic link/);

  const missingRef = await submit(alice, publish('refs', pluginFiles('refs-plugin', 'x')).url, 'no-such-branch');
  expect(missingRef.status).toBe(400);
  expect(missingRef.body.message).toMatch(/no branch, tag or commit "no-such-branch"/);

  writePlugin(first.pluginsDir, 'installed', {}, 'x'); // a PLUGINS_DIR plugin's name is not for submissions
  const collision = await submit(alice, publish('installed', pluginFiles('installed', 'y')).url);
  expect(collision.status).toBe(409);
  expect(collision.body.message).toMatch(/already installed on this server/);
  const builtin = await submit(alice, publish('accounts', pluginFiles('accounts', 'y')).url);
  expect(builtin.status).toBe(409);

  const big = pluginFiles('too-big', 'x');
  big['data/blob.txt'] = 'x'.repeat(64 * 1024 + 1); // compresses well: the download is small, the tree is not
  const tooBig = await submit(alice, publish('big', big).url);
  expect(tooBig.status).toBe(400);
  expect(tooBig.body.message).toMatch(/more than the 65536 allowed \(PLUGIN_SUBMISSIONS_MAX_BYTES\)/);

  // A repository far larger than the limit is stopped while it downloads (or, if quicker, refused before its tree is read).
  const huge = publish('huge', { ...pluginFiles('huge', 'x'), 'data/random.bin': crypto.randomBytes(3 * 1024 * 1024).toString('latin1') });
  const stopped = await submit(alice, huge.url);
  expect(stopped.status).toBe(400);
  expect(stopped.body.message).toMatch(/larger than the 65536 bytes a plugin may weigh .*fetching it was stopped: the download passed/);

  const notes = `file://${path.join(scratch, 'notes.git')}`;
  const off = await new BrowserSession(second.url).call('GET', '/api/health');
  expect(off.status).toBe(200);
  const carol = new BrowserSession(second.url);
  expect((await carol.register('carol')).status).toBeLessThan(300);
  const refused = await submit(carol, notes);
  expect(refused.status).toBe(400);
  expect(refused.body.message).toMatch(/file:\/\/ repositories are turned off on this server \(PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS\)/);
  expect((await carol.call('GET', '/api/plugin-submissions')).body).toEqual([]);

  // Each submission that gets as far as a fetch counts towards PLUGIN_SUBMISSIONS_PER_HOUR (10 by default on this host).
  const unreachable = 'https://127.0.0.1:1/lab/notes.git';
  for (let i = 0; i < 10; i++) {
    const reply = await submit(carol, unreachable);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/git could not fetch https:\/\/127\.0\.0\.1:1\/lab\/notes\.git/);
  }
  const throttled = await submit(carol, unreachable);
  expect(throttled.status).toBe(429);
  expect(throttled.body.message).toMatch(/PLUGIN_SUBMISSIONS_PER_HOUR/);
  expect(fs.readdirSync(path.join(first.home, 'plugin-quarantine'))).toEqual([]); // every fetch cleaned its quarantine
});

test('the OpenAPI document lists the submission routes', async () => {
  const doc: any = await (await fetch(`${first.url}/api/docs/openapi.json`)).json().catch(() => null);
  if (doc === null) return expect.unreachable('no /api/docs/openapi.json');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/plugin-submissions', '/api/plugin-submissions/{id}', '/api/admin/plugin-submissions/{id}/approve', '/api/admin/plugin-submissions/{id}/reject']));
});
