import { createHostDataSource } from '@brickyard/db';
import { BrowserSession, startTestServer, WsProbe, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';

// Notices and activities are engine services: plugins send and record through
// their context; each user reads only their own notices, with the unread count
// pushed live to that user's websockets and to no one else's.
let server: TestServer;
const plugins = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-notices-'));

/** A plugin that sends notices and records activities for whoever calls it. */
const bellPlugin = (name: string) => `
  import { CurrentIdentity, definePlugin, InjectPluginContext, RequireAccess, type Identity, type PluginContext } from '@brickyard/sdk';
  import { Body, Controller, Get, HttpCode, Module, Post, Query } from '@nestjs/common';

  @Controller()
  class BellController {
    constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

    @Post('notify') @HttpCode(200) @RequireAccess('user')
    async notify(@Body() body: any, @CurrentIdentity() who: Identity) {
      return { sent: await this.plugin.notices.send(body.to, { category: body.category ?? 'Lab', message: body.message, slug: body.slug, target: body.target, actorId: who.userId }) };
    }

    @Post('unnotify') @HttpCode(200)
    async unnotify(@Body() body: any) {
      return { removed: await this.plugin.notices.remove({ target: body.target }) };
    }

    @Post('did') @HttpCode(200)
    async did(@Body() body: any, @CurrentIdentity() who: Identity) {
      await this.plugin.activities.record(who, { type: body.type, partName: body.partName, target: body.target, params: body.params });
      return { ok: true };
    }

    @Post('undo') @HttpCode(200)
    async undo(@Body() body: any) {
      return { removed: await this.plugin.activities.remove(body) };
    }

    @Get('timeline')
    async timeline(@Query() query: any) {
      const list = (value?: string) => (value === undefined ? undefined : value.split(',').filter(Boolean));
      return this.plugin.activities.list({ byUsers: list(query.users), onParts: list(query.parts), exceptUser: query.except, before: query.before ? Number(query.before) : undefined, limit: Number(query.limit ?? 20) });
    }
  }

  @Module({ controllers: [BellController] }) class BellModule {}
  export default definePlugin({ module: BellModule });
`;

beforeAll(async () => {
  writePlugin(plugins, 'bell', { 'server/index.ts': bellPlugin('bell') });
  writePlugin(plugins, 'gong', { 'server/index.ts': bellPlugin('gong') });
  server = await startTestServer({ pluginsDir: plugins, env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '0' } });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(plugins, { recursive: true, force: true });
});

const signedIn = async (username: string) => {
  const browser = new BrowserSession(server.url);
  const registered = await browser.register(username);
  expect(registered.status).toBe(201);
  return { browser, id: String(registered.body.id) };
};

const socketOf = (browser?: BrowserSession) => WsProbe.wrap(new WebSocket(server.wsUrl, browser ? { headers: { cookie: browser.header() } } : {}));

describe('notices', () => {
  test('a notice reaches its user live with the unread count; another user and an anonymous socket get nothing', async () => {
    const ada = await signedIn('ada_notices');
    const bob = await signedIn('bob_notices');
    const adaSocket = socketOf(ada.browser);
    const bobSocket = socketOf(bob.browser);
    const anonymous = socketOf();
    expect((await adaSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 0 });
    await bobSocket.next((f) => f.handler === 'notices.unread');
    await anonymous.next((f) => f.handler === 'welcome');

    const sent = await bob.browser.call('POST', '/api/plugins/bell/notify', { to: [ada.id, bob.id], message: '[[bob_notices]]((user))((bob_notices)) commented <script>alert(1)</script>' });
    expect(sent).toMatchObject({ status: 200, body: { sent: 1 } }); // the actor is never told of their own action
    expect((await adaSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 1 });

    const inbox = await ada.browser.call('GET', '/api/notices');
    expect(inbox.body).toMatchObject({ total: 1, unread: 1, items: [{ category: 'Lab', plugin: 'bell', has_read: false, actor_id: bob.id }] });
    expect(inbox.body.items[0].message).toContain('<script>'); // stored as text: the page escapes it
    expect((await bob.browser.call('GET', '/api/notices')).body).toMatchObject({ total: 0, items: [] });
    expect(bobSocket.frames.filter((f) => f.handler === 'notices.unread')).toHaveLength(1);
    expect(anonymous.frames.map((f) => f.handler)).toEqual(['welcome']);

    // Another user's notice does not exist for bob, whether he reads or marks it.
    const id = inbox.body.items[0].id;
    expect(await bob.browser.call('POST', `/api/notices/${id}/read`)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(await bob.browser.call('POST', `/api/notices/1%20OR%201=1/read`)).toMatchObject({ status: 404 });
    expect((await fetch(`${server.url}/api/notices`)).status).toBe(401);

    expect(await ada.browser.call('POST', `/api/notices/${id}/read`)).toMatchObject({ status: 200, body: { id, has_read: true } });
    expect((await adaSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 0 });
    for (const socket of [adaSocket, bobSocket, anonymous]) socket.close();
  });

  test('one notice per actor and target with a slug, updated and unread again; mark all read; stats', async () => {
    const cy = await signedIn('cy_notices');
    const dee = await signedIn('dee_notices');
    const eve = await signedIn('eve_notices');
    const comment = (from: BrowserSession, text: string) =>
      from.call('POST', '/api/plugins/bell/notify', { to: [cy.id], category: 'Forum', message: text, slug: 'comment experience', target: { type: 'experience', id: '7' } });
    await comment(dee.browser, 'dee commented once');
    await cy.browser.call('POST', '/api/notices/read-all', {});
    await comment(dee.browser, 'dee commented twice');
    await comment(eve.browser, 'eve commented');
    const inbox = (await cy.browser.call('GET', '/api/notices')).body;
    expect(inbox.total).toBe(2);
    expect(inbox.items.map((n: any) => [n.message, n.has_read])).toEqual([['eve commented', false], ['dee commented twice', false]]);
    expect((await cy.browser.call('GET', '/api/notices/stats')).body).toEqual([{ category: 'Forum', count: 2, unread: 2 }]);
    expect((await cy.browser.call('POST', '/api/notices/read-all', { category: 'Forum' })).body).toEqual({ marked: 2 });
    expect((await cy.browser.call('GET', '/api/notices?has_read=false')).body.total).toBe(0);
    expect((await cy.browser.call('GET', '/api/notices?page=0')).status).toBe(400);

    // A plugin removes only its own notices: gong cannot remove bell's.
    expect((await dee.browser.call('POST', '/api/plugins/gong/unnotify', { target: { type: 'experience', id: '7' } })).body).toEqual({ removed: 0 });
    expect((await dee.browser.call('POST', '/api/plugins/bell/unnotify', { target: { type: 'experience', id: '7' } })).body).toEqual({ removed: 2 });
    expect((await cy.browser.call('GET', '/api/notices')).body.total).toBe(0);
  });

  test('malformed notices are refused with what is wrong', async () => {
    const fay = await signedIn('fay_notices');
    expect(await fay.browser.call('POST', '/api/plugins/bell/notify', { to: ['1'], message: '' })).toMatchObject({ status: 400, body: { code: 'invalid_params', message: /message/ } });
    expect(await fay.browser.call('POST', '/api/plugins/bell/notify', { to: ['1'], message: 'x', category: 'c'.repeat(65) })).toMatchObject({ status: 400, body: { message: /category/ } });
    expect(await fay.browser.call('POST', '/api/notices/read-all', { category: 'Forum', extra: 1 })).toMatchObject({ status: 400 });
  });
});

describe('activities', () => {
  test('recorded by plugins for signed-in users, listed publicly, removed only by their plugin', async () => {
    const gil = await signedIn('gil_acts');
    const hal = await signedIn('hal_acts');
    expect(await new BrowserSession(server.url).call('POST', '/api/plugins/bell/did', { type: 'rating', partName: 'BBa_B0034' })).toMatchObject({ status: 401 });
    expect(await gil.browser.call('POST', '/api/plugins/bell/did', { type: 'Rating!', partName: 'BBa_B0034' })).toMatchObject({ status: 400 });
    await gil.browser.call('POST', '/api/plugins/bell/did', { type: 'rating', partName: 'BBa_B0034', params: { score: 4 } });
    await hal.browser.call('POST', '/api/plugins/bell/did', { type: 'watch', partName: 'BBa_B0034' });
    await hal.browser.call('POST', '/api/plugins/gong/did', { type: 'comment', partName: 'BBa_R0040', target: { type: 'post', id: '3' } });

    const gils = await fetch(`${server.url}/api/activities?user=gil_acts`).then((r) => r.json() as Promise<any>);
    expect(gils.items).toEqual([expect.objectContaining({ type: 'rating', user: { id: gil.id, username: 'gil_acts' }, part_name: 'BBa_B0034', params: { score: 4 } })]);
    const onPart = await fetch(`${server.url}/api/activities?part=BBa_B0034&type=rating,watch`).then((r) => r.json() as Promise<any>);
    expect(onPart.items.map((a: any) => a.type)).toEqual(['watch', 'rating']);
    expect((await fetch(`${server.url}/api/activities?user=x' OR '1'='1`).then((r) => r.json() as Promise<any>)).items).toEqual([]);
    expect((await fetch(`${server.url}/api/activities?type=DROP TABLE`)).status).toBe(400);

    // A timeline: what gil follows (hal) or watches (BBa_B0034), never gil's own.
    const timeline = await gil.browser.call('GET', `/api/plugins/bell/timeline?users=${hal.id}&parts=BBa_B0034&except=${gil.id}`);
    expect(timeline.body.map((a: any) => a.type)).toEqual(['comment', 'watch']);
    expect((await gil.browser.call('GET', `/api/plugins/bell/timeline?users=&parts=`)).body).toEqual([]);

    expect((await gil.browser.call('POST', '/api/plugins/gong/undo', { partName: 'BBa_B0034' })).body).toEqual({ removed: 0 });
    expect((await gil.browser.call('POST', '/api/plugins/bell/undo', {})).status).toBe(400);
    expect((await gil.browser.call('POST', '/api/plugins/bell/undo', { type: 'rating', userId: gil.id, partName: 'BBa_B0034' })).body).toEqual({ removed: 1 });
    expect((await fetch(`${server.url}/api/activities?user=gil_acts`).then((r) => r.json() as Promise<any>)).items).toEqual([]);
  });

  test('a timeline pages back through rows older than the recent window', async () => {
    const ivy = await signedIn('ivy_acts');
    const db = await createHostDataSource(server.database.url, 1);
    // 2500 activities by someone else, then ivy's few: the newest window holds none of what ivy follows.
    const values = Array.from({ length: 2500 }, (_, i) => `('rating', 'stranger', 'stranger', 'BBa_X${i}', '{}', 'bell')`).join(', ');
    await db.query(`INSERT INTO activities (type, user_id, username, part_name, params, plugin) VALUES ('watch', '${ivy.id}', 'ivy_acts', 'BBa_OLD', '{}', 'bell')`);
    await db.query(`INSERT INTO activities (type, user_id, username, part_name, params, plugin) VALUES ${values}`);
    await db.destroy();
    const page = await ivy.browser.call('GET', `/api/plugins/bell/timeline?users=${ivy.id}&limit=5`);
    expect(page.body.map((a: any) => a.part_name)).toEqual(['BBa_OLD']);
    const strangers = await ivy.browser.call('GET', '/api/plugins/bell/timeline?users=stranger&limit=3');
    expect(strangers.body.map((a: any) => a.part_name)).toEqual(['BBa_X2499', 'BBa_X2498', 'BBa_X2497']);
    const before = strangers.body[2].id;
    expect((await ivy.browser.call('GET', `/api/plugins/bell/timeline?users=stranger&limit=2&before=${before}`)).body.map((a: any) => a.part_name)).toEqual(['BBa_X2496', 'BBa_X2495']);
  });
});
