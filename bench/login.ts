/**
 * Login benchmark — sign-ins per second (`POST /api/auth/login`, a correct
 * password, so every request verifies an argon2id hash and starts a session)
 * against a real `brickyard serve` (WORKERS=1), divided by the same server's
 * `GET /api/auth/me` with a session (the baseline: the same path through
 * identity, Redis and the accounts plugin, without the hash), measured in the
 * same run.
 *
 * The goal is not a speed: it is the cost bound. Password hashing is meant to
 * be slow; the argon2id parameters must never fall below OWASP's recommended
 * minimum (m = 19456 KiB, t = 2, p = 1). They are read from the hash the server
 * stored for the benchmark's account, not from the code, and the result says
 * what that cost buys in sign-ins per second. Also reported: one verify's time
 * in this process with the same parameters, single-threaded.
 *
 * Load: bench/lib/loadgen.ts in its own process, keep-alive connections each
 * sending one request at a time; rounds alternate which route goes first; the
 * figures are medians over rounds.
 *
 *   node bin/run-ts.js bench/login.ts [--connections 8] [--seconds 5] [--rounds 3]
 */
import { hash, verify } from '@node-rs/argon2';
import { createConnection } from 'mysql2/promise';
import { arg, fmtMs, log, machine, percentile, printResult, runBench } from './lib/common';
import { describeCpu, waitForQuiet, watchCpu } from './lib/cpu';
import { runLoadgen } from './lib/load';
import { startBenchServer } from './lib/server';

/** OWASP Password Storage Cheat Sheet: argon2id with at least 19 MiB, 2 iterations, 1 degree of parallelism. */
const OWASP_MINIMUM = { memoryKiB: 19_456, iterations: 2, parallelism: 1 };
const CONNECTIONS = Number(arg('connections', '8'));
const SECONDS = Number(arg('seconds', '5'));
const ROUNDS = Number(arg('rounds', '3'));
const WARMUP_SECONDS = 2;

interface Argon2Parameters {
  variant: string;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** The parameters written in a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
function parametersOf(stored: string): Argon2Parameters {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) throw new Error('the stored password is not an argon2 PHC string');
  return { variant: match[1]!, memoryKiB: Number(match[2]), iterations: Number(match[3]), parallelism: Number(match[4]) };
}

const atLeastOwasp = (p: Argon2Parameters) =>
  p.variant === 'argon2id' && p.memoryKiB >= OWASP_MINIMUM.memoryKiB && p.iterations >= OWASP_MINIMUM.iterations && p.parallelism >= OWASP_MINIMUM.parallelism;

runBench(async () => {
  log(`login on ${machine()}`);
  log(`load generator: bench/lib/loadgen.ts, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per measurement, ${ROUNDS} rounds (separate process)`);
  // Only correct passwords are sent, so the failure limits never apply; raised anyway so a typo shows as 401s, not 429s.
  const server = await startBenchServer({ workers: 1, env: { ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT: '1000', ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS: '100000' } });
  const credentials = { username: 'bench', password: 'a bench password 1' };
  const registered = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...credentials, email: 'bench@example.org' }),
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status} ${await registered.text()}`);
  const session = registered.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

  const db = await createConnection(server.database.url);
  const [rows] = (await db.query('SELECT password_hash FROM accounts_users WHERE username = ?', [credentials.username])) as unknown as [{ password_hash: string }[]];
  await db.end();
  const stored = rows[0]!.password_hash;
  const params = parametersOf(stored);
  log(`stored hash: ${params.variant} m=${params.memoryKiB} KiB, t=${params.iterations}, p=${params.parallelism} (OWASP minimum: argon2id m=${OWASP_MINIMUM.memoryKiB} KiB, t=${OWASP_MINIMUM.iterations}, p=${OWASP_MINIMUM.parallelism})`);

  // One verify with the same parameters, here, one at a time: what each sign-in costs a core.
  const local = await hash(credentials.password, { algorithm: 2, memoryCost: params.memoryKiB, timeCost: params.iterations, parallelism: params.parallelism });
  const verifyMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await verify(local, credentials.password);
    verifyMs.push(performance.now() - t0);
  }
  const oneVerify = percentile(verifyMs, 50);
  log(`one argon2id verify in this process: p50 ${fmtMs(oneVerify)} (20 in a row)`);

  const targets = {
    login: { url: `${server.url}/api/auth/login`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) },
    me: { url: `${server.url}/api/auth/me`, method: 'GET', headers: { cookie: session } },
  };
  type Name = keyof typeof targets;
  const names = Object.keys(targets) as Name[];
  for (const name of names) {
    const check = await fetch(targets[name].url, { method: targets[name].method, headers: targets[name].headers, body: (targets[name] as { body?: string }).body });
    if (check.status !== 200) throw new Error(`${name} answered ${check.status} ${await check.text()}`);
  }
  const measure = (name: Name, seconds: number) => runLoadgen({ ...targets[name], connections: CONNECTIONS, durationMs: seconds * 1000, rate: 0 });
  for (const name of names) await measure(name, WARMUP_SECONDS);

  await waitForQuiet(30_000);
  const results: Record<Name, { rps: number; p50: number; p99: number; bad: number; foreign: number }[]> = { login: [], me: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? names : [...names].reverse();
    for (const name of order) {
      const stop = watchCpu();
      const r = await measure(name, SECONDS);
      const cpu = stop();
      const bad = r.non200 + r.errors;
      results[name].push({ rps: r.rps, p50: r.latency.p50, p99: r.latency.p99, bad, foreign: cpu.foreignCores });
      log(`round ${round} ${name.padEnd(5)} ${r.rps.toFixed(1).padStart(8)} req/s, latency p50 ${fmtMs(r.latency.p50)} p99 ${fmtMs(r.latency.p99)}, non-200 ${r.non200}, errors ${r.errors}; ${describeCpu(cpu)}`);
    }
  }

  const median = (name: Name, key: 'rps' | 'p50' | 'p99') => percentile(results[name].map((m) => m[key]), 50);
  const login = median('login', 'rps');
  const me = median('me', 'rps');
  const bad = [...results.login, ...results.me].reduce((n, m) => n + m.bad, 0);
  const foreign = Math.max(...[...results.login, ...results.me].map((m) => m.foreign));
  const ok = atLeastOwasp(params);
  printResult({
    bench: 'login',
    summary:
      `POST /api/auth/login ${login.toFixed(1)} req/s (p50 ${fmtMs(median('login', 'p50'))}), GET /api/auth/me ${me.toFixed(0)} req/s ` +
      `(medians of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections, WORKERS=1); ` +
      `stored hash ${params.variant} m=${params.memoryKiB} KiB t=${params.iterations} p=${params.parallelism}, one verify ${fmtMs(oneVerify)}; ` +
      `non-200 or errors ${bad}; other load up to ${foreign.toFixed(2)} cores`,
    ratio: login / me,
    ratioLabel: 'login / GET /api/auth/me req/s',
    goal: `argon2id cost never below OWASP's minimum (m=${OWASP_MINIMUM.memoryKiB} KiB, t=${OWASP_MINIMUM.iterations}, p=${OWASP_MINIMUM.parallelism}); req/s reported`,
    met: ok,
  });
});
