/**
 * Benchmark — live weights: how long from a rating (PUT /api/parts/:name/rating)
 * until the part's new weight is what GET /api/parts/:name serves, against a
 * plain GET of a part measured in the same run. Goal: p99 ≤ 1 s.
 *
 * A real `brickyard serve` (2 HTTP workers, the demo snapshot, ranked at start,
 * PARTS_RATING_INTERVAL_SECONDS=0 so one user may rate again at once). Users are
 * registered through the API; each measured step is: PUT a rating (a score
 * that differs from the user's previous one on that part, so the counters and
 * the weight change), then GET the part until its weight is the one the PUT
 * answered (the first GET, since the weight is written in the rating's
 * transaction). Steps run one at a time, rotating over users and parts. The
 * baseline is the same number of plain GETs of the same parts.
 *
 *   node bin/run-ts.js bench/live-reweight.ts [--ratings 300] [--users 20] [--parts 50]
 */
import { arg, fmtMs, log, machine, percentile, printResult, runBench } from './lib/common';
import { startBenchServer } from './lib/server';

const RATINGS = Number(arg('ratings', '300'));
const USERS = Number(arg('users', '20'));
const PARTS = Number(arg('parts', '50'));
const GOAL_MS = 1000;

class Session {
  cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = this.cookies.get('brickyard_csrf');
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const response = await fetch(this.base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of response.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=');
      if (value) this.cookies.set(name!, value);
    }
    return { status: response.status, body: await response.json() };
  }
}

runBench(async () => {
  log(`live-reweight on ${machine()}`);
  const server = await startBenchServer({ workers: 2, env: { PARTS_DEMO_DATA: 'true', JOB_WORKERS: '0', PARTS_RATING_INTERVAL_SECONDS: '0' } });
  const reader = new Session(server.url);
  const parts: string[] = (await reader.call('GET', `/api/parts?max_results=${PARTS}`)).body.items.map((p: any) => p.part_name);
  const users: Session[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = new Session(server.url);
    const answer = await user.call('POST', '/api/auth/register', { username: `bench-${i}`, email: `bench-${i}@example.org`, password: 'bench password 1' });
    if (answer.status !== 201) throw new Error(`could not register: ${JSON.stringify(answer.body)}`);
    users.push(user);
  }
  log(`${parts.length} parts, ${users.length} users registered`);

  const timeGet = async (name: string) => {
    const t = performance.now();
    const answer = await reader.call('GET', `/api/parts/${name}`);
    if (answer.status !== 200) throw new Error(`GET ${name}: ${answer.status}`);
    return performance.now() - t;
  };
  // Warm-up: every part read, a few ratings.
  for (const name of parts) await timeGet(name);
  for (let i = 0; i < 20; i++) await users[i % USERS]!.call('PUT', `/api/parts/${parts[i % parts.length]}/rating`, { score: 1 + (i % 5) });

  const baseline: number[] = [];
  for (let i = 0; i < RATINGS; i++) baseline.push(await timeGet(parts[i % parts.length]!));

  const visible: number[] = [];
  let extraReads = 0;
  for (let i = 0; i < RATINGS; i++) {
    const name = parts[i % parts.length]!;
    // i and i + lcm(users, parts) are the same user and part: the shift gives them a different score.
    const score = 1 + ((i + Math.floor(i / (USERS * parts.length))) % 5);
    const t = performance.now();
    const rated = await users[i % USERS]!.call('PUT', `/api/parts/${name}/rating`, { score });
    if (rated.status !== 200) throw new Error(`PUT rating ${name}: ${rated.status} ${JSON.stringify(rated.body)}`);
    for (;;) {
      const part = await reader.call('GET', `/api/parts/${name}`);
      if (part.body.weight.value === rated.body.weight) break;
      extraReads++;
      if (performance.now() - t > 10_000) throw new Error(`${name}: weight ${rated.body.weight} not served within 10 s`);
    }
    visible.push(performance.now() - t);
  }

  const [b50, b99, v50, v99] = [percentile(baseline, 50), percentile(baseline, 99), percentile(visible, 50), percentile(visible, 99)];
  log(`plain GET of a part: p50 ${fmtMs(b50)}, p99 ${fmtMs(b99)} (${baseline.length} reads)`);
  log(`rating → new weight served: p50 ${fmtMs(v50)}, p99 ${fmtMs(v99)} (${visible.length} ratings; ${extraReads} reads saw the old weight)`);
  printResult({
    bench: 'live-reweight',
    summary: `rating → weight visible p50 ${fmtMs(v50)}, p99 ${fmtMs(v99)} vs plain GET p50 ${fmtMs(b50)}, p99 ${fmtMs(b99)} (${RATINGS} ratings, ${USERS} users, ${parts.length} parts; p50 ratio ${(v50 / b50).toFixed(2)})`,
    ratio: v99 / b99,
    ratioLabel: 'p99 rating→visible / p99 plain GET',
    goal: `p99 ≤ ${GOAL_MS} ms`,
    met: v99 <= GOAL_MS,
  });
});
