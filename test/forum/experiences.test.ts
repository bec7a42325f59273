import { WsProbe, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appDatabase, demoParts, NO_THROTTLES, signUp, startForumServer, stopForumServer } from './forum-server';

// Experiences on parts and their attachments: every endpoint with its
// refusals, Markdown that cannot run anything, owners-only changes, SQL in
// inputs taken as text, and the part's counters and weight kept exact.
let server: TestServer;
let parts: string[];

beforeAll(async () => {
  server = await startForumServer(NO_THROTTLES);
  parts = await demoParts(server, 6);
}, 120_000);
afterAll(() => stopForumServer(server));

const anonymous = (method: string, route: string, body?: unknown) =>
  fetch(server.url + route, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const png = () => {
  // The smallest valid PNG: a 1×1 transparent pixel.
  return Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0b90000000049454e44ae426082', 'hex');
};
const form = (bytes: Buffer | string, name = 'file.bin') => {
  const data = new FormData();
  data.append('file', new Blob([bytes]), name);
  return data;
};

/**
 * The elements of sanitized HTML with their attributes. Sanitized output escapes
 * every `<` of text and quotes every attribute with `"`, so this reading is exact.
 */
function elements(html: string): { tag: string; attributes: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map(([, tag, rest]) => ({
    tag: tag!.toLowerCase(),
    attributes: Object.fromEntries([...rest!.matchAll(/\s([^\s=\/]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!.toLowerCase(), value ?? ''])),
  }));
}

describe('experiences', () => {
  test('the built-in forum is discovered and listed', async () => {
    const plugins = (await anonymous('GET', '/api/plugins').then((r) => r.json())) as { name: string }[];
    expect(plugins.map((p) => p.name)).toContain('forum');
  });

  test('create, list, read: signed-in only, on a live part, newest first, with author and digest', async () => {
    const ada = await signUp(server, 'ada_exp');
    const [part] = parts;
    expect((await anonymous('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x' })).status).toBe(401);
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: 'BBa_NOPE999', title: 't', text: 'x' })).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: '', text: 'x' })).toMatchObject({ status: 400, body: { code: 'invalid_params' } });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 't'.repeat(201), text: 'x' })).toMatchObject({ status: 400, body: { message: /title/ } });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x'.repeat(20_001) })).toMatchObject({ status: 400, body: { message: /text/ } });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x', works: 'yes' })).toMatchObject({ status: 400, body: { message: /works/ } });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x', extra: 1 })).toMatchObject({ status: 400 });
    expect(await ada.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x' }, { csrf: false })).toMatchObject({ status: 403 });

    const first = await ada.browser.call('POST', '/api/forum/experiences', { part_name: part.toLowerCase(), title: 'Strong terminator', text: 'It **works**: see [the Registry](https://parts.igem.org).\n\nSecond line.', works: true });
    expect(first).toMatchObject({ status: 201, body: { part_name: part, author: { id: ada.id, username: 'ada_exp' }, author_name: 'ada_exp', title: 'Strong terminator', works: true, votes: 0, voted: false, comments: 0 } });
    expect(first.body.digest).toBe('It works see the Registry Second line');
    expect(first.body.html).toBe('<p>It <strong>works</strong>: see <a href="https://parts.igem.org" rel="nofollow noopener noreferrer">the Registry</a>.</p>\n<p>Second line.</p>\n');
    const second = await ada.browser.call('POST', '/api/forum/experiences', { part_name: parts[1], title: 'Leaky', text: 'Not for me.', works: false });
    expect(second.status).toBe(201);

    const all = await anonymous('GET', '/api/forum/experiences').then((r) => r.json() as Promise<any>);
    expect(all).toMatchObject({ page: 1, per_page: 20, total: 2 });
    expect(all.items.map((e: any) => e.title)).toEqual(['Leaky', 'Strong terminator']);
    expect(all.items[0]).not.toHaveProperty('text');
    const onPart = await anonymous('GET', `/api/forum/experiences?part=${part}`).then((r) => r.json() as Promise<any>);
    expect(onPart.items.map((e: any) => e.id)).toEqual([first.body.id]);
    const byAuthor = await anonymous('GET', '/api/forum/experiences?author=ada_exp&per_page=1&page=2').then((r) => r.json() as Promise<any>);
    expect(byAuthor).toMatchObject({ page: 2, per_page: 1, total: 2, items: [{ id: first.body.id }] });
    expect((await anonymous('GET', '/api/forum/experiences?per_page=101')).status).toBe(400);
    expect((await anonymous('GET', '/api/forum/experiences?page=0')).status).toBe(400);

    const read = await anonymous('GET', `/api/forum/experiences/${first.body.id}`).then((r) => r.json() as Promise<any>);
    expect(read).toMatchObject({ id: first.body.id, text: expect.stringContaining('**works**'), html: expect.stringContaining('<strong>works</strong>'), attachments: [] });
    expect((await anonymous('GET', '/api/forum/experiences/999999')).status).toBe(404);
    expect((await anonymous('GET', '/api/forum/experiences/abc')).status).toBe(404);

    const mine = await anonymous('GET', '/api/forum/users/ada_exp/experiences').then((r) => r.json() as Promise<any>);
    expect(mine.items.map((e: any) => e.title)).toEqual(['Leaky', 'Strong terminator']);
    expect((await anonymous('GET', '/api/forum/users/nobody_here/experiences')).status).toBe(404);
  });

  test('only the author or an admin edits or deletes: others 403, anonymous 401', async () => {
    const bob = await signUp(server, 'bob_exp');
    const eve = await signUp(server, 'eve_exp');
    const boss = await signUp(server, 'boss_exp');
    const created = await bob.browser.call('POST', '/api/forum/experiences', { part_name: parts[2], title: 'Mine', text: 'original' });
    const id = created.body.id;

    expect((await anonymous('PATCH', `/api/forum/experiences/${id}`, { title: 'x' })).status).toBe(401);
    expect((await anonymous('DELETE', `/api/forum/experiences/${id}`)).status).toBe(401);
    expect(await eve.browser.call('PATCH', `/api/forum/experiences/${id}`, { title: 'hijacked' })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await eve.browser.call('DELETE', `/api/forum/experiences/${id}`)).toMatchObject({ status: 403 });
    expect(await bob.browser.call('PATCH', `/api/forum/experiences/${id}`, {})).toMatchObject({ status: 400, body: { message: /say what changes/ } });
    expect((await bob.browser.call('PATCH', '/api/forum/experiences/999999', { title: 'x' })).status).toBe(404);

    const edited = await bob.browser.call('PATCH', `/api/forum/experiences/${id}`, { title: 'Mine, edited', text: 'new *text*' });
    expect(edited).toMatchObject({ status: 200, body: { title: 'Mine, edited', text: 'new *text*', html: '<p>new <em>text</em></p>\n', digest: 'new text' } });
    expect(new Date(edited.body.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(edited.body.created_at).getTime());

    // An admin moderates: edits and deletes anyone's.
    const db = await appDatabase(server);
    await db.query("UPDATE accounts_users SET role = 'admin' WHERE username = 'boss_exp'");
    await db.end();
    await boss.browser.call('POST', '/api/auth/login', { username: 'boss_exp', password: 'boss_exp has a long passphrase' });
    expect(await boss.browser.call('PATCH', `/api/forum/experiences/${id}`, { title: 'Moderated' })).toMatchObject({ status: 200, body: { title: 'Moderated', author: { id: bob.id } } });
    expect(await boss.browser.call('DELETE', `/api/forum/experiences/${id}`)).toMatchObject({ status: 200, body: { deleted: true, id } });
    expect((await anonymous('GET', `/api/forum/experiences/${id}`)).status).toBe(404);
    expect((await bob.browser.call('DELETE', `/api/forum/experiences/${id}`)).status).toBe(404);
  });

  test('an experience without a local author (Biohub\'s Registry experiences) is listed with author null and is read-only', async () => {
    // As the Registry's reviews are stored (test/forum/registry-experiences.test.ts reads them from a page).
    const db = await appDatabase(server);
    const [inserted] = (await db.query("INSERT INTO forum_experiences (part_name, author_id, author_name, title, text, digest) VALUES (?, NULL, 'iGEM07_Team', 'From the Registry', 'Old *review*', 'Old review')", [parts[1]])) as any;
    await db.end();
    const id = String(inserted.insertId);
    const listed = await anonymous('GET', `/api/forum/experiences?part=${parts[1]}`).then((r) => r.json() as Promise<any>);
    expect(listed.items.find((e: any) => e.id === id)).toMatchObject({ author: null, author_name: 'iGEM07_Team', title: 'From the Registry' });
    const reader = await signUp(server, 'reader_exp');
    expect(await reader.browser.call('PATCH', `/api/forum/experiences/${id}`, { title: 'mine now' })).toMatchObject({ status: 403, body: { message: /Registry/ } });
    expect((await reader.browser.call('DELETE', `/api/forum/experiences/${id}`)).status).toBe(403);
    expect(await reader.browser.call('PUT', `/api/forum/experiences/${id}/vote`)).toMatchObject({ status: 200, body: { votes: 1 } });
  });

  test('Markdown cannot run anything: script, event handlers, javascript: and data: URLs, raw HTML, foreign images', async () => {
    const mal = await signUp(server, 'mal_exp');
    const payloads = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '<style>body{display:none}</style>',
      '<a href="javascript:alert(1)">raw link</a>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java\tscript:alert(1))',
      '[click](vbscript:msgbox(1))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '![pixel](data:image/png;base64,iVBORw0KGgo=)',
      '![tracker](https://evil.example/pixel.png)',
      '![x](/api/forum/attachments/1" onerror="alert(1))',
      '[proto](//evil.example/x)',
      '<div onclick="alert(1)">click</div>',
      '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
      '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
      '<form action="https://evil.example"><input name=p></form>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    ];
    const created = await mal.browser.call('POST', '/api/forum/experiences', {
      part_name: parts[3], title: '<img src=x onerror=alert(1)>"\'><script>alert(2)</script>', text: payloads.join('\n\n'),
    });
    expect(created.status).toBe(201);
    const { html, title, text } = created.body;
    // Every element is a formatting one; no handler attribute; links only http(s), mailto or relative; no image (none is ours).
    const found = elements(html);
    expect(found.length).toBeGreaterThan(0);
    for (const element of found) {
      expect(['p', 'a']).toContain(element.tag);
      expect(Object.keys(element.attributes).filter((name) => !['href', 'title', 'rel'].includes(name))).toEqual([]);
      if (element.tag === 'a') expect(element.attributes.rel).toBe('nofollow noopener noreferrer');
      if (element.attributes.href !== undefined) expect(element.attributes.href).toMatch(/^(https?:|mailto:|\/[^/])/);
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;'); // shown as text
    // Titles and names are plain text in JSON: stored and returned as written, for the page to show as text.
    expect(title).toBe('<img src=x onerror=alert(1)>"\'><script>alert(2)</script>');
    expect(text).toBe(payloads.join('\n\n'));
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await mal.browser.call('POST', '/api/forum/experiences', { part_name: parts[3], title: 'two\nlines', text: 'x' })).toMatchObject({ status: 400, body: { message: /title/ } });
  });

  test('SQL in inputs is data: probes find nothing, change nothing, and are stored as written', async () => {
    const sam = await signUp(server, 'sam_exp');
    const db = await appDatabase(server);
    const count = async () => Number(((await db.query('SELECT COUNT(*) AS n FROM forum_experiences')) as any)[0][0].n);
    const before = await count();
    const probes = ["' OR '1'='1", "BBa_B0034'; DROP TABLE forum_experiences; --", '1 OR 1=1', "1' UNION SELECT password_hash FROM accounts_users --"];
    for (const probe of probes) {
      expect((await sam.browser.call('POST', '/api/forum/experiences', { part_name: probe, title: 't', text: 'x' })).status).toBe(404);
      const listed = await anonymous('GET', `/api/forum/experiences?part=${encodeURIComponent(probe)}`).then((r) => r.json() as Promise<any>);
      expect(listed).toMatchObject({ total: 0, items: [] });
      expect((await anonymous('GET', `/api/forum/experiences?author=${encodeURIComponent(probe.slice(0, 40))}`).then((r) => r.json() as Promise<any>)).total).toBe(0);
      expect((await anonymous('GET', `/api/forum/experiences/${encodeURIComponent(probe)}`)).status).toBe(404);
      expect((await anonymous('GET', `/api/forum/users/${encodeURIComponent(probe)}/experiences`)).status).toBe(404);
      expect((await sam.browser.call('PUT', `/api/forum/experiences/${encodeURIComponent(probe)}/vote`)).status).toBe(404);
      expect((await sam.browser.call('DELETE', `/api/forum/comments/${encodeURIComponent(probe)}`)).status).toBe(404);
    }
    const stored = await sam.browser.call('POST', '/api/forum/experiences', { part_name: parts[4], title: probes[1], text: probes.join('\n\n') });
    expect(stored).toMatchObject({ status: 201, body: { title: probes[1] } });
    expect(await count()).toBe(before + 1);
    const [rows] = (await db.query('SELECT COUNT(*) AS n FROM accounts_users')) as any;
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    await db.end();
  });

  test('the part\'s counters stay exact and its weight moves at once, and back', async () => {
    const cy = await signUp(server, 'cy_exp');
    const part = parts[5];
    const partOf = async () => (await anonymous('GET', `/api/parts/${part}`).then((r) => r.json() as Promise<any>));
    const db = await appDatabase(server);
    const counters = async () => {
      const [rows] = (await db.query('SELECT experiences, good_experiences FROM part_forum_stats WHERE part_name = ?', [part])) as any;
      return rows[0] ? [Number(rows[0].experiences), Number(rows[0].good_experiences)] : [0, 0];
    };
    const before = await partOf();
    expect(await counters()).toEqual([0, 0]);
    const good = await cy.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 'works', text: 'yes', works: true });
    const bad = await cy.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 'fails', text: 'no', works: false });
    const silent = await cy.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 'unsaid', text: 'maybe' });
    expect(await counters()).toEqual([3, 1]);
    const during = await partOf();
    expect(during.experiences).toBe(3);
    expect(during.weight.value).not.toBe(before.weight.value);

    await cy.browser.call('PATCH', `/api/forum/experiences/${bad.body.id}`, { works: true });
    expect(await counters()).toEqual([3, 2]);
    await cy.browser.call('PATCH', `/api/forum/experiences/${bad.body.id}`, { works: true }); // unchanged: counted once
    await cy.browser.call('PATCH', `/api/forum/experiences/${silent.body.id}`, { works: false });
    expect(await counters()).toEqual([3, 2]);
    const weighted = await partOf();
    expect(weighted.weight.value).not.toBe(during.weight.value);

    for (const e of [good, bad, silent]) expect((await cy.browser.call('DELETE', `/api/forum/experiences/${e.body.id}`)).status).toBe(200);
    expect(await counters()).toEqual([0, 0]);
    expect((await partOf()).weight.value).toBeCloseTo(before.weight.value, 12);
    await db.end();
  });
});

describe('live pages', () => {
  test('a page following the part hears of a local experience written, edited and deleted (frame forum.experiences)', async () => {
    const part = parts[5]!;
    const writer = await signUp(server, 'livewriter');
    const watcher = await WsProbe.open(server.wsUrl);
    try {
      await watcher.next((f) => f.handler === 'welcome');
      await watcher.request({ handler: 'subscribe', data: { topic: `forum:part:${part}` }, id: 's' }, 's');
      const created = await writer.browser.call('POST', '/api/forum/experiences', { part_name: part, title: 'Seen live', text: 'Works in DH5α.' });
      expect(created.status).toBe(201);
      expect((await watcher.next((f) => f.handler === 'forum.experiences', 5000)).data).toEqual({ part, added: 1, updated: 0, removed: 0 });
      expect((await writer.browser.call('PATCH', `/api/forum/experiences/${created.body.id}`, { title: 'Seen live, edited' })).status).toBe(200);
      expect((await watcher.next((f) => f.handler === 'forum.experiences', 5000)).data).toEqual({ part, added: 0, updated: 1, removed: 0 });
      expect((await writer.browser.call('DELETE', `/api/forum/experiences/${created.body.id}`)).status).toBe(200);
      expect((await watcher.next((f) => f.handler === 'forum.experiences', 5000)).data).toEqual({ part, added: 0, updated: 0, removed: 1 });
      // A refused change says nothing to the page.
      expect((await anonymous('POST', '/api/forum/experiences', { part_name: part, title: 't', text: 'x' })).status).toBe(401);
      await expect(watcher.next((f) => f.handler === 'forum.experiences', 700)).rejects.toThrow();
    } finally {
      watcher.close();
    }
  });
});

describe('attachments', () => {
  test('upload (signed-in, by content, size-capped), attach own only, serve safely, detach deletes', async () => {
    const ann = await signUp(server, 'ann_att');
    const ben = await signUp(server, 'ben_att');
    expect((await fetch(`${server.url}/api/forum/attachments`, { method: 'POST', body: form(png(), 'p.png') })).status).toBe(401);
    expect(await ann.browser.call('POST', '/api/forum/attachments', { file: 'x' })).toMatchObject({ status: 400, body: { message: /multipart/ } });
    expect(await ann.browser.call('POST', '/api/forum/attachments', form('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\u0000', 'x.svg'))).toMatchObject({ status: 400, body: { message: /accepted are/ } });
    expect(await ann.browser.call('POST', '/api/forum/attachments', form(Buffer.alloc(6 * 1024 * 1024, 0x61), 'big.txt'))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });

    const image = await ann.browser.call('POST', '/api/forum/attachments', form(png(), 'pixel.png'));
    expect(image).toMatchObject({ status: 201, body: { filename: 'pixel.png', type: 'image/png', size: png().length, url: `/api/forum/attachments/${image.body.id}` } });
    const note = await ann.browser.call('POST', '/api/forum/attachments', form('<html><script>alert(1)</script></html>', 'note.html'));
    expect(note).toMatchObject({ status: 201, body: { type: 'text/plain' } });
    const pdf = await ann.browser.call('POST', '/api/forum/attachments', form('%PDF-1.4\n%%EOF\n', 'doc.pdf'));
    expect(pdf.body.type).toBe('application/pdf');
    const bens = await ben.browser.call('POST', '/api/forum/attachments', form(png(), 'bens.png'));

    // Unattached: only its uploader sees it.
    expect((await fetch(server.url + image.body.url)).status).toBe(404);
    expect((await ann.browser.call('GET', image.body.url)).status).toBe(200);

    const ids = [image.body.id, note.body.id, pdf.body.id].map(Number);
    expect(await ann.browser.call('POST', '/api/forum/experiences', { part_name: parts[0], title: 't', text: 'x', attachment_ids: [Number(bens.body.id)] })).toMatchObject({ status: 400, body: { message: /attachment_ids/ } });
    const withFiles = await ann.browser.call('POST', '/api/forum/experiences', { part_name: parts[0], title: 'With files', text: `![gel](${image.body.url})`, attachment_ids: ids });
    expect(withFiles.status).toBe(201);
    expect(withFiles.body.attachments.map((a: any) => a.filename)).toEqual(['pixel.png', 'note.html', 'doc.pdf']);
    expect(withFiles.body.html).toBe(`<p><img src="${image.body.url}" alt="gel" /></p>\n`);
    // Attached elsewhere already: not again.
    expect((await ann.browser.call('POST', '/api/forum/experiences', { part_name: parts[1], title: 't', text: 'x', attachment_ids: [ids[0]] })).status).toBe(400);

    const served = await fetch(server.url + image.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(served.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await served.arrayBuffer()).equals(png())).toBe(true);
    const text = await fetch(server.url + note.body.url);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toMatch(/^attachment; filename="note.html"/);
    expect(text.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect((await fetch(server.url + pdf.body.url)).headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await fetch(`${server.url}/api/forum/attachments/99999`)).status).toBe(404);

    // An edit keeps what it lists; the others are deleted. Ben cannot edit Ann's.
    expect((await ben.browser.call('PATCH', `/api/forum/experiences/${withFiles.body.id}`, { attachment_ids: [] })).status).toBe(403);
    const edited = await ann.browser.call('PATCH', `/api/forum/experiences/${withFiles.body.id}`, { attachment_ids: [ids[0]] });
    expect(edited.body.attachments.map((a: any) => a.id)).toEqual([String(ids[0])]);
    expect((await ann.browser.call('GET', note.body.url)).status).toBe(404);
    // Deleting the experience deletes its attachments.
    await ann.browser.call('DELETE', `/api/forum/experiences/${withFiles.body.id}`);
    expect((await ann.browser.call('GET', image.body.url)).status).toBe(404);
  });

  test('uploads left unattached for a day are deleted at a later upload', async () => {
    const old = await signUp(server, 'old_att');
    const stale = await old.browser.call('POST', '/api/forum/attachments', form(png(), 'stale.png'));
    const db = await appDatabase(server);
    await db.query('UPDATE forum_attachments SET created_at = CURRENT_TIMESTAMP(3) - INTERVAL 25 HOUR WHERE id = ?', [stale.body.id]);
    await db.end();
    expect((await old.browser.call('GET', stale.body.url)).status).toBe(200);
    await old.browser.call('POST', '/api/forum/attachments', form(png(), 'fresh.png'));
    expect((await old.browser.call('GET', stale.body.url)).status).toBe(404);
  });
});
