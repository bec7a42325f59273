import type { TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appDatabase, demoParts, NO_THROTTLES, signUp, socketOf, startForumServer, stopForumServer } from './forum-server';

// Comments, votes, notices, activities and the timeline, through the API and
// the websocket (frames `notices.unread`), on a real server.
let server: TestServer;
let parts: string[];

beforeAll(async () => {
  server = await startForumServer(NO_THROTTLES);
  parts = await demoParts(server, 8);
}, 120_000);
afterAll(() => stopForumServer(server));

const get = (route: string) => fetch(server.url + route).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
type User = Awaited<ReturnType<typeof signUp>>;
const notices = async (user: User) => (await user.browser.call('GET', '/api/notices')).body;
const experience = async (user: User, part: string, title = 'An experience') => {
  const created = await user.browser.call('POST', '/api/forum/experiences', { part_name: part, title, text: 'Text.' });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

describe('comments', () => {
  test('threads: create, reply, a page of threads in thread order with parent_id and depth; refusals', async () => {
    const ada = await signUp(server, 'ada_com');
    const bob = await signUp(server, 'bob_com');
    const id = await experience(ada, parts[0]);
    const route = `/api/forum/experiences/${id}/comments`;
    expect((await fetch(server.url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' })).status).toBe(401);
    expect(await bob.browser.call('POST', route, { text: '' })).toMatchObject({ status: 400, body: { message: /text/ } });
    expect(await bob.browser.call('POST', route, { text: 'x'.repeat(2001) })).toMatchObject({ status: 400 });
    expect((await bob.browser.call('POST', '/api/forum/experiences/999999/comments', { text: 'hi' })).status).toBe(404);

    const first = await bob.browser.call('POST', route, { text: 'First, with <script>alert(1)</script> and **bold**' });
    expect(first).toMatchObject({ status: 201, body: { parent_id: null, depth: 0, author: { id: bob.id, username: 'bob_com' }, experience_id: id } });
    expect(first.body.html).toBe('<p>First, with &lt;script&gt;alert(1)&lt;/script&gt; and <strong>bold</strong></p>\n');
    const second = await ada.browser.call('POST', route, { text: 'Second thread' });
    const reply = await ada.browser.call('POST', route, { text: 'A reply', parent_id: Number(first.body.id) });
    const deeper = await bob.browser.call('POST', route, { text: 'A reply to the reply', parent_id: Number(reply.body.id) });
    expect(deeper.body).toMatchObject({ depth: 2, parent_id: reply.body.id });

    // A parent on another experience is refused, and so is nesting past 8.
    const other = await experience(ada, parts[1]);
    expect(await bob.browser.call('POST', `/api/forum/experiences/${other}/comments`, { text: 'x', parent_id: Number(first.body.id) })).toMatchObject({ status: 400, body: { message: /parent_id/ } });
    let parent = deeper.body.id;
    for (let depth = 3; depth <= 8; depth++) parent = (await bob.browser.call('POST', route, { text: `depth ${depth}`, parent_id: Number(parent) })).body.id;
    expect(await bob.browser.call('POST', route, { text: 'too deep', parent_id: Number(parent) })).toMatchObject({ status: 400, body: { message: /at most 8/ } });

    const page = await get(`${route}?per_page=1`);
    expect(page.body).toMatchObject({ page: 1, per_page: 1, total: 2 });
    expect(page.body.items.map((c: any) => [c.text, c.depth])).toEqual([
      ['First, with <script>alert(1)</script> and **bold**', 0], ['A reply', 1], ['A reply to the reply', 2],
      ...[3, 4, 5, 6, 7, 8].map((d) => [`depth ${d}`, d]),
    ]);
    expect((await get(`${route}?page=2&per_page=1`)).body.items.map((c: any) => c.id)).toEqual([second.body.id]);
    expect((await get(`/api/forum/experiences/${id}`)).body.comments).toBe(10);

    // Edit and delete: the author or an admin.
    const commentRoute = `/api/forum/comments/${first.body.id}`;
    expect((await fetch(server.url + commentRoute, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' })).status).toBe(401);
    expect((await ada.browser.call('PATCH', commentRoute, { text: 'not mine' })).status).toBe(403);
    expect((await ada.browser.call('DELETE', commentRoute)).status).toBe(403);
    expect(await bob.browser.call('PATCH', commentRoute, { text: 'First, _edited_' })).toMatchObject({ status: 200, body: { text: 'First, _edited_', html: '<p>First, <em>edited</em></p>\n' } });
    const removed = await bob.browser.call('DELETE', commentRoute);
    expect(removed.status).toBe(200);
    expect(removed.body.deleted).toHaveLength(9); // the comment and its replies
    expect((await get(route)).body.items.map((c: any) => c.id)).toEqual([second.body.id]);
    expect((await bob.browser.call('DELETE', commentRoute)).status).toBe(404);
  });
});

describe('votes', () => {
  test('one per user, never one\'s own; exact under concurrency; unvote', async () => {
    const author = await signUp(server, 'author_vote');
    const id = await experience(author, parts[2]);
    const route = `/api/forum/experiences/${id}/vote`;
    expect((await fetch(server.url + route, { method: 'PUT' })).status).toBe(401);
    expect(await author.browser.call('PUT', route)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await author.browser.call('PUT', '/api/forum/experiences/999999/vote')).status).toBe(404);

    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => signUp(server, `voter_${i}`)));
    // Every voter votes three times at once: each counts once.
    const answers = await Promise.all(voters.flatMap((v) => [1, 2, 3].map(() => v.browser.call('PUT', route))));
    expect(answers.every((a) => a.status === 200 && a.body.voted === true)).toBe(true);
    const read = await voters[0]!.browser.call('GET', `/api/forum/experiences/${id}`);
    expect(read.body).toMatchObject({ votes: 12, voted: true });
    expect((await get(`/api/forum/experiences/${id}`)).body.voted).toBe(false);
    const db = await appDatabase(server);
    const [rows] = (await db.query('SELECT COUNT(*) AS n FROM forum_votes WHERE experience_id = ?', [id])) as any;
    expect(Number(rows[0].n)).toBe(12);

    // Half unvote at once, twice each: exact again.
    await Promise.all(voters.slice(0, 6).flatMap((v) => [v.browser.call('DELETE', route), v.browser.call('DELETE', route)]));
    expect((await get(`/api/forum/experiences/${id}`)).body.votes).toBe(6);
    expect(await voters[0]!.browser.call('DELETE', route)).toMatchObject({ status: 200, body: { votes: 6, voted: false } });
    await db.end();
  });
});

describe('notices and activities', () => {
  test('a new experience reaches the part\'s watchers, not its author nor others', async () => {
    const [watcher, author, stranger] = [await signUp(server, 'watcher_n'), await signUp(server, 'author_n'), await signUp(server, 'stranger_n')];
    const part = parts[3];
    expect((await watcher.browser.call('PUT', `/api/parts/${part}/watch`)).status).toBe(200);
    expect((await author.browser.call('PUT', `/api/parts/${part}/watch`)).status).toBe(200);
    const watcherSocket = socketOf(server, watcher.browser);
    const strangerSocket = socketOf(server, stranger.browser);
    await watcherSocket.next((f) => f.handler === 'notices.unread');
    await strangerSocket.next((f) => f.handler === 'notices.unread');

    const id = await experience(author, part, 'Great [[part]]');
    expect((await watcherSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 1 });
    const inbox = await notices(watcher);
    expect(inbox.items).toEqual([
      expect.objectContaining({
        category: 'Forum', actor_id: author.id, target: { type: 'experience', id }, plugin: 'forum',
        message: `[[author_n]]((user))((author_n)) published a new experience [[Great  part ]]((experience))((${id})) at part [[${part}]]((part))((${part}))`,
      }),
    ]);
    expect((await notices(author)).total).toBe(0);
    expect((await notices(stranger)).total).toBe(0);
    expect(strangerSocket.frames.filter((f) => f.handler === 'notices.unread')).toHaveLength(1);
    const activity = await get(`/api/activities?user=author_n&type=experience`);
    expect(activity.body.items).toEqual([expect.objectContaining({ type: 'experience', part_name: part, target: { type: 'experience', id }, params: { title: 'Great [[part]]' } })]);
    watcherSocket.close();
    strangerSocket.close();
  });

  test('a new experience reaches the author\'s followers too, once for one who also watches the part', async () => {
    const [author, fan, both, watcher, stranger] = [await signUp(server, 'author_f'), await signUp(server, 'fan_f'), await signUp(server, 'both_f'), await signUp(server, 'watcher_f'), await signUp(server, 'stranger_f')];
    const part = parts[5];
    for (const follower of [fan, both]) expect((await follower.browser.call('PUT', '/api/users/author_f/follow')).status).toBe(200);
    for (const user of [both, watcher]) expect((await user.browser.call('PUT', `/api/parts/${part}/watch`)).status).toBe(200);
    // Following the follower says nothing: only the author's followers hear of it.
    expect((await author.browser.call('PUT', '/api/users/fan_f/follow')).status).toBe(200);

    const id = await experience(author, part, 'Followed');
    const message = `[[author_f]]((user))((author_f)) published a new experience [[Followed]]((experience))((${id})) at part [[${part}]]((part))((${part}))`;
    for (const user of [fan, both, watcher]) {
      const inbox = await notices(user);
      expect(inbox.total).toBe(1);
      expect(inbox.items).toEqual([expect.objectContaining({ category: 'Forum', actor_id: author.id, target: { type: 'experience', id }, message })]);
    }
    expect((await notices(author)).total).toBe(0);
    expect((await notices(stranger)).total).toBe(0);

    // Deleting the experience takes every one of them back.
    expect((await author.browser.call('DELETE', `/api/forum/experiences/${id}`)).status).toBe(200);
    for (const user of [fan, both, watcher]) expect((await notices(user)).total).toBe(0);
  });

  test('comments: one notice per commenter, updated; replies tell the parent\'s author; deletes take them back', async () => {
    const [owner, carl, dana] = [await signUp(server, 'owner_c'), await signUp(server, 'carl_c'), await signUp(server, 'dana_c')];
    const id = await experience(owner, parts[4], 'Owned');
    const ownerSocket = socketOf(server, owner.browser);
    await ownerSocket.next((f) => f.handler === 'notices.unread');
    const route = `/api/forum/experiences/${id}/comments`;

    const c1 = await carl.browser.call('POST', route, { text: 'one' });
    expect((await ownerSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 1 });
    await owner.browser.call('POST', '/api/notices/read-all', {});
    const c2 = await carl.browser.call('POST', route, { text: 'two' });
    await dana.browser.call('POST', route, { text: 'three' });
    await owner.browser.call('POST', route, { text: 'my own' }); // no notice of one's own comment
    const inbox = await notices(owner);
    expect(inbox.total).toBe(2);
    expect(inbox.items.map((n: any) => [n.actor_id, n.has_read])).toEqual([[dana.id, false], [carl.id, false]]);
    expect(inbox.items[1].message).toBe(`[[carl_c]]((user))((carl_c)) commented on your experience [[Owned]]((experience))((${id}))`);

    // A reply tells the parent comment's author; the experience's author hears once.
    const reply = await dana.browser.call('POST', route, { text: 'to carl', parent_id: Number(c1.body.id) });
    expect((await notices(carl)).items).toEqual([expect.objectContaining({ actor_id: dana.id, target: { type: 'comment', id: c1.body.id }, message: expect.stringContaining('replied to your comment') })]);
    const activities = await get(`/api/activities?user=dana_c&type=comment`);
    expect(activities.body.items.map((a: any) => a.params)).toEqual([{ title: 'Owned', experience: id }, { title: 'Owned', experience: id }]);

    // Carl deletes one comment: he still has one there, so his notice stays; the second goes, and takes it away.
    await carl.browser.call('DELETE', `/api/forum/comments/${c2.body.id}`);
    expect((await notices(owner)).items.map((n: any) => n.actor_id)).toEqual([dana.id, carl.id]);
    await carl.browser.call('DELETE', `/api/forum/comments/${c1.body.id}`); // and dana's reply with it
    expect((await notices(owner)).items.map((n: any) => n.actor_id)).toEqual([dana.id]);
    expect((await notices(carl)).total).toBe(0);
    expect((await get(`/api/activities?user=dana_c&type=comment`)).body.items).toHaveLength(1);
    expect(reply.status).toBe(201);
    ownerSocket.close();
  });

  test('votes: the author\'s notice says the count, one per voter; an unvote removes it and its activity', async () => {
    const [owner, eve, fay] = [await signUp(server, 'owner_v'), await signUp(server, 'eve_v'), await signUp(server, 'fay_v')];
    const id = await experience(owner, parts[5], 'Votable');
    const route = `/api/forum/experiences/${id}/vote`;
    const ownerSocket = socketOf(server, owner.browser);
    await ownerSocket.next((f) => f.handler === 'notices.unread');
    await eve.browser.call('PUT', route);
    expect((await ownerSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 1 });
    await fay.browser.call('PUT', route);
    expect((await ownerSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 2 });
    const inbox = await notices(owner);
    expect(inbox.items.map((n: any) => n.message)).toEqual([
      `[[fay_v]]((user))((fay_v)) voted for your experience [[Votable]]((experience))((${id})); now it has 2 votes`,
      `[[eve_v]]((user))((eve_v)) voted for your experience [[Votable]]((experience))((${id})); now it has 1 vote`,
    ]);
    expect((await get('/api/activities?user=eve_v&type=vote')).body.items).toEqual([expect.objectContaining({ target: { type: 'experience', id }, params: { title: 'Votable' } })]);

    await eve.browser.call('DELETE', route);
    expect((await ownerSocket.next((f) => f.handler === 'notices.unread')).data).toEqual({ unread: 1 });
    expect((await notices(owner)).items.map((n: any) => n.actor_id)).toEqual([fay.id]);
    expect((await get('/api/activities?user=eve_v&type=vote')).body.items).toEqual([]);
    // Voting again is one notice again, updated in place.
    await eve.browser.call('PUT', route);
    await eve.browser.call('PUT', route);
    expect((await notices(owner)).total).toBe(2);
    ownerSocket.close();
  });

  test('deleting an experience removes its notices and activities, its comments\' too', async () => {
    const [owner, gil, watcher] = [await signUp(server, 'owner_d'), await signUp(server, 'gil_d'), await signUp(server, 'watcher_d')];
    await watcher.browser.call('PUT', `/api/parts/${parts[6]}/watch`);
    const id = await experience(owner, parts[6], 'Doomed');
    const comment = await gil.browser.call('POST', `/api/forum/experiences/${id}/comments`, { text: 'hi' });
    await owner.browser.call('POST', `/api/forum/experiences/${id}/comments`, { text: 'back', parent_id: Number(comment.body.id) });
    await gil.browser.call('PUT', `/api/forum/experiences/${id}/vote`);
    expect((await notices(owner)).total).toBe(2);
    expect((await notices(gil)).total).toBe(1);
    expect((await notices(watcher)).total).toBe(1);
    expect((await owner.browser.call('DELETE', `/api/forum/experiences/${id}`)).status).toBe(200);
    for (const user of [owner, gil, watcher]) expect((await notices(user)).total).toBe(0);
    for (const name of ['owner_d', 'gil_d']) {
      const left = (await get(`/api/activities?user=${name}`)).body.items.filter((a: any) => a.type !== 'watch');
      expect(left).toEqual([]);
    }
  });
});

describe('timeline', () => {
  test('followed users\' and watched parts\' activities, newest first, never one\'s own; paged', async () => {
    const [me, followed, other, stranger] = [await signUp(server, 'me_t'), await signUp(server, 'followed_t'), await signUp(server, 'other_t'), await signUp(server, 'stranger_t')];
    expect((await fetch(`${server.url}/api/forum/timeline`)).status).toBe(401);
    expect((await me.browser.call('GET', '/api/forum/timeline')).body).toEqual({ items: [], next_before: null });
    expect((await me.browser.call('PUT', '/api/users/followed_t/follow')).status).toBe(200);
    const watched = parts[7];
    await me.browser.call('PUT', `/api/parts/${watched}/watch`);

    const a = await experience(followed, parts[0], 'By the followed, elsewhere');
    const b = await experience(other, watched, 'By another, on my part');
    await experience(stranger, parts[1], 'Unrelated');
    const mine = await experience(me, watched, 'My own, on my part');
    await followed.browser.call('PUT', `/api/forum/experiences/${b}/vote`);
    await other.browser.call('POST', `/api/forum/experiences/${mine}/comments`, { text: 'on mine' });

    const timeline = (await me.browser.call('GET', '/api/forum/timeline')).body;
    expect(timeline.items.map((x: any) => [x.type, x.user.username])).toEqual([
      ['comment', 'other_t'], ['vote', 'followed_t'], ['experience', 'other_t'], ['experience', 'followed_t'],
    ]);
    expect(timeline.items[3].target).toEqual({ type: 'experience', id: a });
    const first = (await me.browser.call('GET', '/api/forum/timeline?limit=2')).body;
    expect(first.items).toHaveLength(2);
    const rest = (await me.browser.call('GET', `/api/forum/timeline?limit=2&before=${first.next_before}`)).body;
    expect([...first.items, ...rest.items].map((x: any) => x.id)).toEqual(timeline.items.map((x: any) => x.id));
    expect((await me.browser.call('GET', '/api/forum/timeline?limit=101')).status).toBe(400);
    expect((await me.browser.call('GET', "/api/forum/timeline?before=1 OR 1=1")).status).toBe(400);
  });
});
