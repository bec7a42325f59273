import { freePort, WsProbe, type TestServer } from '@brickyard/testing';
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appDatabase, demoParts, NO_THROTTLES, signUp, startForumServer, stopForumServer } from './forum-server';

// Experiences read from the Registry's `Part:<name>:Experience` pages, against
// a stand-in for the Registry on loopback (allowed by FORUM_REGISTRY_ALLOWED_HOSTS
// as host:port) serving MediaWiki-like pages in both of Biohub's layouts, and
// failing in every way a fetch can: 500, no answer, too large, a redirect to a
// private host that is not allowed.
const TIMEOUT_MS = 2000;
const MAX_BYTES = 64 * 1024;
let server: TestServer;
let registry: http.Server;
let internal: http.Server;
let registryPort = 0;
let internalPort = 0;
let parts: string[];
/** What the stand-in answers, by part name (unknown parts: 404, as MediaWiki for a page nobody wrote). */
const pages = new Map<string, (response: http.ServerResponse) => void>();
const hits = new Map<string, number>();
let internalHits = 0;
const hanging: http.ServerResponse[] = [];

/** A Registry Experience page as MediaWiki 1.2x renders it, with `sections` under "User Reviews" (none: no such heading). */
const wikiPage = (name: string, sections: string | null) => `<!DOCTYPE html>
<html class="client-nojs" lang="en" dir="ltr">
<head><meta charset="UTF-8"/><title>Part:${name}:Experience - parts.igem.org</title>
<script>document.documentElement.className = "client-js";</script></head>
<body class="mediawiki ltr sitedir-ltr ns-0 ns-subject page-Part_${name}_Experience skin-igem">
<div id="content" class="mw-body" role="main">
  <h1 id="firstHeading" class="firstHeading" lang="en">Part:${name}:Experience</h1>
  <div id="bodyContent" class="mw-body-content">
    <div id="siteSub">From parts.igem.org</div>
    <div id="mw-content-text" lang="en" dir="ltr" class="mw-content-ltr"><div class="mw-parser-output">
<p>This experience page is provided so that any user may enter their experience using this part.<br />
Please enter how you used this part and how it worked out.
</p>
<p>\x7f'"\`UNIQ--nowiki-00000000-QINU\`"'\x7f
</p>
<div id="toc" class="toc"><div class="toctitle"><h2>Contents</h2></div>
<ul><li class="toclevel-1"><a href="#Applications_of_${name}"><span class="toctext">Applications of ${name}</span></a></li>
<li class="toclevel-1"><a href="#User_Reviews"><span class="toctext">User Reviews</span></a></li></ul></div>
<h2><span class="mw-headline" id="Applications_of_${name}">Applications of ${name}</span></h2>
<table><tr><td><p>iGEM Not_a_review</p></td><td><p>Applications are not reviews.</p></td></tr></table>
${sections === null ? '' : `<h2><span class="mw-headline" id="User_Reviews">User Reviews</span></h2>\n${sections}`}
<!--
NewPP limit report
-->
</div></div>
    <div class="printfooter">Retrieved from "<a dir="ltr" href="http://parts.igem.org/Part:${name}:Experience">http://parts.igem.org/Part:${name}:Experience</a>"</div>
  </div>
</div>
</body></html>`;

/** Layout (a): one table per review, the author in the first cell's <p>, the body in the second cell. */
const tableReview = (author: string, body: string) => `<table style="border:1px solid black;width:100%;background-color:#DDDDDD">
<tbody><tr>
<td width="10%"><p>${author}
</p></td>
<td>${body}
</td></tr></tbody></table>`;

const serve = (html: string) => (response: http.ServerResponse) => void response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(html);

beforeAll(async () => {
  internal = http.createServer((_request, response) => {
    internalHits++;
    response.writeHead(200).end(wikiPage('BBa_INTERNAL', tableReview('iGEM internal', '<p>secret</p>')));
  });
  internalPort = await freePort();
  await new Promise<void>((resolve) => internal.listen(internalPort, '127.0.0.1', resolve));
  registry = http.createServer((request, response) => {
    const name = decodeURIComponent(/^\/Part:(.*):Experience$/.exec(request.url ?? '')?.[1] ?? '');
    hits.set(name, (hits.get(name) ?? 0) + 1);
    const page = pages.get(name);
    if (page) return page(response);
    response.writeHead(404, { 'content-type': 'text/html' }).end(wikiPage(name, null));
  });
  registryPort = await freePort();
  await new Promise<void>((resolve) => registry.listen(registryPort, '127.0.0.1', resolve));
  server = await startForumServer({
    ...NO_THROTTLES,
    FORUM_REGISTRY_EXPERIENCES: 'true',
    FORUM_REGISTRY_EXPERIENCES_URL: `http://127.0.0.1:${registryPort}/Part:{name}:Experience`,
    FORUM_REGISTRY_ALLOWED_HOSTS: `127.0.0.1:${registryPort}`,
    FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS: String(TIMEOUT_MS),
    FORUM_REGISTRY_EXPERIENCES_MAX_BYTES: String(MAX_BYTES),
    // Part pages' own enrichment goes to the stand-in too (a 404 there), never to the real Registry.
    PARTS_SOURCE_URL: `http://127.0.0.1:${registryPort}/xml/{name}`,
    PARTS_SOURCE_ALLOWED_HOSTS: `127.0.0.1:${registryPort}`,
  });
  parts = await demoParts(server, 12);
}, 120_000);

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await stopForumServer(server);
  registry?.close();
  internal?.close();
});

const get = (route: string) => fetch(server.url + route).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const list = (part: string) => get(`/api/forum/experiences?part=${encodeURIComponent(part)}&per_page=100`);

/** The part's fetch record (null before any fetch ended). */
async function fetchRecord(part: string): Promise<{ fetched_at: Date | null; failures: number; last_error: string | null; retry_after: Date | null } | null> {
  const db = await appDatabase(server);
  try {
    const [rows] = (await db.query('SELECT fetched_at, failures, last_error, retry_after FROM forum_registry_fetches WHERE part_name = ?', [part])) as any;
    return rows[0] ? { ...rows[0], failures: Number(rows[0].failures) } : null;
  } finally {
    await db.end();
  }
}

async function sql(statement: string, params: unknown[]): Promise<any> {
  const db = await appDatabase(server);
  try {
    return (await db.query(statement, params))[0];
  } finally {
    await db.end();
  }
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs = 10_000): Promise<T> {
  const end = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`not within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lists the part (which starts the fetch) while watching its topic, and returns the frame that says the fetch changed something. */
async function listAndAwaitFrame(part: string) {
  const watcher = await WsProbe.open(server.wsUrl);
  try {
    await watcher.next((f) => f.handler === 'welcome');
    await watcher.request({ handler: 'subscribe', data: { topic: `forum:part:${part}` }, id: 's' }, 's');
    expect((await list(part)).status).toBe(200);
    return (await watcher.next((f) => f.handler === 'forum.experiences', 10_000)).data;
  } finally {
    watcher.close();
  }
}

const stale = (part: string) => sql('UPDATE forum_registry_fetches SET fetched_at = CURRENT_TIMESTAMP(3) - INTERVAL 11 DAY WHERE part_name = ?', [part]);
const counters = async (part: string) => {
  const rows = await sql('SELECT experiences, good_experiences FROM part_forum_stats WHERE part_name = ?', [part]);
  return rows[0] ? [Number(rows[0].experiences), Number(rows[0].good_experiences)] : [0, 0];
};

describe('experiences from the Registry', () => {
  test('tables: each review is an experience without a local author, read-only, counted, and the part re-weighted', async () => {
    const part = parts[0]!;
    pages.set(part, serve(wikiPage(part, [
      tableReview('iGEM07_Paris', '<p>Strong RBS, <b>works</b> as described. See <a href="/Part:BBa_B0034">the part</a>.</p>'),
      tableReview('Jane Doe (iGEM Team Bielefeld)', '<p>Weaker in <i>B. subtilis</i>.</p><p>Second paragraph.</p>'),
      tableReview('x'.repeat(101), '<p>An author this long is no name: skipped.</p>'),
    ].join('\n'))));
    const before = await get(`/api/parts/${part}`);

    const frame = await listAndAwaitFrame(part);
    expect(frame).toEqual({ part, added: 2, updated: 0, removed: 0 });
    const listed = (await list(part)).body;
    expect(listed.total).toBe(2);
    expect(listed.items.map((e: any) => e.author_name).sort()).toEqual(['Jane Doe (iGEM Team Bielefeld)', 'iGEM07_Paris']);
    expect(listed.items.map((e: any) => e.author)).toEqual([null, null]);
    const paris = listed.items.find((e: any) => e.author_name === 'iGEM07_Paris');
    expect(paris).toMatchObject({ part_name: part, title: 'Review by iGEM07_Paris on the Registry', digest: 'Strong RBS works as described See the part', works: null, votes: 0 });
    const detail = (await get(`/api/forum/experiences/${paris.id}`)).body;
    // The wiki's <b> is the forum's <strong>; the root-relative link points at the Registry.
    expect(detail.html).toBe('<p>Strong RBS, <strong>works</strong> as described. See <a href="https://parts.igem.org/Part:BBa_B0034" rel="nofollow noopener noreferrer">the part</a>.</p>\n');
    expect(detail.text).toBe('Strong RBS, works as described. See the part.');
    const jane = (await get(`/api/forum/experiences/${listed.items.find((e: any) => e.author_name !== 'iGEM07_Paris').id}`)).body;
    expect(jane.text).toBe('Weaker in B. subtilis.\n\nSecond paragraph.');

    expect(await counters(part)).toEqual([2, 0]);
    const after = await get(`/api/parts/${part}`);
    expect(after.body.experiences).toBe(2);
    expect(after.body.weight.value).not.toBe(before.body.weight.value);

    // Read-only for users; listing again while fresh fetches nothing.
    const reader = await signUp(server, 'reader_reg');
    expect(await reader.browser.call('PATCH', `/api/forum/experiences/${paris.id}`, { title: 'mine' })).toMatchObject({ status: 403, body: { message: /Registry/ } });
    expect((await reader.browser.call('DELETE', `/api/forum/experiences/${paris.id}`)).status).toBe(403);
    expect((await list(part)).body.total).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hits.get(part)).toBe(1);
    expect(await fetchRecord(part)).toMatchObject({ failures: 0, last_error: null, fetched_at: expect.any(Date) });
  });

  test('fetched again when stale: a changed review is updated in place, a gone one removed, a new one added; local ones untouched', async () => {
    const part = parts[1]!;
    const local = await signUp(server, 'local_reg');
    const mine = await local.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 'Local', text: 'Mine.', works: true });
    expect(mine.status).toBe(201);
    pages.set(part, serve(wikiPage(part, [tableReview('iGEM08_Kept', '<p>First version.</p>'), tableReview('iGEM08_Gone', '<p>Soon removed.</p>')].join('\n'))));
    expect(await listAndAwaitFrame(part)).toMatchObject({ added: 2 });
    const first = (await list(part)).body.items;
    const kept = first.find((e: any) => e.author_name === 'iGEM08_Kept');
    const gone = first.find((e: any) => e.author_name === 'iGEM08_Gone');
    expect(await counters(part)).toEqual([3, 1]);
    // A comment on the review that goes: it goes too, with its notice to nobody (the review has no local author).
    expect((await local.browser.call('POST', `/api/forum/experiences/${gone.id}/comments`, { text: 'Thanks' })).status).toBe(201);

    pages.set(part, serve(wikiPage(part, [tableReview('iGEM08_Kept', '<p>Second version.</p>'), tableReview('iGEM09_New', '<p>New.</p>')].join('\n'))));
    await stale(part);
    expect(await listAndAwaitFrame(part)).toEqual({ part, added: 1, updated: 1, removed: 1 });
    const second = (await list(part)).body.items;
    expect(second.map((e: any) => e.author_name).sort()).toEqual(['iGEM08_Kept', 'iGEM09_New', 'local_reg']);
    expect(second.find((e: any) => e.author_name === 'iGEM08_Kept')).toMatchObject({ id: kept.id, digest: 'Second version' });
    expect((await get(`/api/forum/experiences/${gone.id}`)).status).toBe(404);
    expect(await sql('SELECT COUNT(*) AS n FROM forum_comments WHERE experience_id = ?', [gone.id])).toEqual([{ n: 0 }]);
    expect(second.find((e: any) => e.id === mine.body.id)).toMatchObject({ author: { id: local.id }, title: 'Local' });
    expect(await counters(part)).toEqual([3, 1]);

    // The same page again changes nothing: no new rows, no frame needed, the fetch recorded.
    await stale(part);
    expect((await list(part)).status).toBe(200);
    await until(() => fetchRecord(part), (r) => r !== null && Date.now() - new Date(r.fetched_at!).getTime() < 60_000);
    expect((await list(part)).body.items.map((e: any) => e.id).sort()).toEqual(second.map((e: any) => e.id).sort());
    expect(await counters(part)).toEqual([3, 1]);
  });

  test('scripts, event handlers, javascript: links, styles and foreign images in a review are neutralised', async () => {
    const part = parts[2]!;
    pages.set(part, serve(wikiPage(part, tableReview('iGEM10_Mallory', [
      '<p>Before<script>alert(document.cookie)</script> after.</p>',
      '<p><img src="/wiki/images/a/a0/Gel.png" onerror="alert(1)" alt="gel"></p>',
      '<p><a href="javascript:alert(1)" onclick="alert(2)">click</a> <a href="//evil.example/x">proto</a></p>',
      '<p style="position:fixed" onmouseover="alert(3)">styled</p><style>body{display:none}</style>',
      '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name="p"></form>',
      '<svg onload="alert(4)"><text>svg</text></svg>',
    ].join('')))));
    await listAndAwaitFrame(part);
    const [review] = (await list(part)).body.items;
    const { html, text } = (await get(`/api/forum/experiences/${review.id}`)).body;
    expect(html).not.toMatch(/<script|<style|<iframe|<form|<input|<svg|<img|\son[a-z]+=|javascript:|style=|\/\/evil/i);
    expect(html).toContain('<p>Before after.</p>');
    expect(text).not.toMatch(/alert|display:none/);
    // What is stored is already sanitized: a reader with no sanitizer would be as safe.
    const [stored] = await sql('SELECT registry_html FROM forum_experiences WHERE id = ?', [review.id]);
    expect(stored.registry_html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
  });

  test('paragraphs: an "iGEM…" line starts a review whose body is the paragraphs after it', async () => {
    const part = parts[3]!;
    pages.set(part, serve(wikiPage(part, `<p>Reviews are welcome here.
</p>
<p>iGEM08 Team Heidelberg
</p>
<p>It worked in <b>E. coli</b> DH5&alpha;.
</p>
<p>Measured twice.
</p>
<p><b>IGEM2011_Freiburg</b>
</p>
<p>Did not work for us.
</p>
<p>iGEM${'x'.repeat(61)}
</p>`)));
    await listAndAwaitFrame(part);
    const items = (await list(part)).body.items;
    expect(items.map((e: any) => e.author_name).sort()).toEqual(['IGEM2011_Freiburg', 'iGEM08 Team Heidelberg']);
    const read = async (author: string) => (await get(`/api/forum/experiences/${items.find((e: any) => e.author_name === author).id}`)).body;
    const heidelberg = await read('iGEM08 Team Heidelberg');
    expect(heidelberg.text).toBe('It worked in E. coli DH5\u03b1.\n\nMeasured twice.');
    expect(heidelberg.html).toBe('<p>It worked in <strong>E. coli</strong> DH5\u03b1.\n</p><p>Measured twice.\n</p>');
    // A line too long after "iGEM" (over 60 characters) names nobody: it is the body of the review before it.
    expect((await read('IGEM2011_Freiburg')).text).toBe(`Did not work for us.\n\niGEM${'x'.repeat(61)}`);
  });

  test('a page without User_Reviews, or no page at all (404), gives none and counts as read', async () => {
    const [withoutHeading, missing] = [parts[4]!, parts[5]!];
    pages.set(withoutHeading, serve(wikiPage(withoutHeading, null)));
    for (const part of [withoutHeading, missing]) {
      expect((await list(part)).body.total).toBe(0);
      const record = await until(() => fetchRecord(part), (r) => r !== null);
      expect(record).toMatchObject({ failures: 0, fetched_at: expect.any(Date) });
      expect((await list(part)).body.total).toBe(0);
      expect(await counters(part)).toEqual([0, 0]);
    }
  });

  test('a 500, no answer, or a page too large is recorded, backs off, never reaches the user, and is retried later', async () => {
    const [failing, silent, huge] = [parts[6]!, parts[7]!, parts[8]!];
    pages.set(failing, (response) => void response.writeHead(500).end('Internal error'));
    pages.set(silent, (response) => void hanging.push(response)); // never answers
    pages.set(huge, serve(wikiPage(huge, tableReview('iGEM11_Huge', `<p>${'x'.repeat(MAX_BYTES)}</p>`))));

    for (const part of [failing, silent, huge]) {
      const started = Date.now();
      expect(await list(part)).toMatchObject({ status: 200, body: { total: 0 } });
      // The listing never waits on the fetch (the silent page holds it for TIMEOUT_MS).
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS / 2);
    }
    const expected: [string, RegExp][] = [[failing, /HTTP 500/], [silent, /FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS/], [huge, /FORUM_REGISTRY_EXPERIENCES_MAX_BYTES/]];
    for (const [part, error] of expected) {
      const record = await until(() => fetchRecord(part), (r) => r !== null && r.failures === 1, TIMEOUT_MS + 10_000);
      expect(record).toMatchObject({ fetched_at: null, last_error: expect.stringMatching(error), retry_after: expect.any(Date) });
      expect(new Date(record!.retry_after!).getTime()).toBeGreaterThan(Date.now() + 30_000); // about a minute
    }
    // While backing off, listings fetch nothing.
    const hitsBefore = [failing, silent, huge].map((part) => hits.get(part));
    for (const part of [failing, silent, huge]) expect((await list(part)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([failing, silent, huge].map((part) => hits.get(part))).toEqual(hitsBefore);

    // Later (the backoff over), the next listing fetches again: a second failure doubles it, a success clears it.
    await sql('UPDATE forum_registry_fetches SET retry_after = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE part_name IN (?, ?)', [failing, huge]);
    expect((await list(failing)).status).toBe(200);
    const twice = await until(() => fetchRecord(failing), (r) => r!.failures === 2);
    expect(new Date(twice!.retry_after!).getTime()).toBeGreaterThan(Date.now() + 90_000); // about two minutes
    pages.set(huge, serve(wikiPage(huge, tableReview('iGEM11_Huge', '<p>Smaller now.</p>'))));
    await listAndAwaitFrame(huge);
    expect((await list(huge)).body.items).toMatchObject([{ author: null, author_name: 'iGEM11_Huge', digest: 'Smaller now' }]);
    expect(await fetchRecord(huge)).toMatchObject({ failures: 0, last_error: null, retry_after: null });
  });

  test('a redirect to a private host that is not allowed is refused, naming FORUM_REGISTRY_ALLOWED_HOSTS', async () => {
    const part = parts[9]!;
    pages.set(part, (response) => void response.writeHead(302, { location: `http://127.0.0.1:${internalPort}/latest/meta-data/` }).end());
    expect((await list(part)).status).toBe(200);
    const record = await until(() => fetchRecord(part), (r) => r !== null);
    expect(record).toMatchObject({ failures: 1, last_error: expect.stringMatching(/private or local address.*FORUM_REGISTRY_ALLOWED_HOSTS/) });
    expect(internalHits).toBe(0);
    expect((await list(part)).body.total).toBe(0);
  });

  test('only parts of the live snapshot are fetched', async () => {
    expect((await list('BBa_NOT_A_PART')).body.total).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hits.has('BBa_NOT_A_PART')).toBe(false);
    expect(await fetchRecord('BBa_NOT_A_PART')).toBeNull();
  });
});
