import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { onCleanup } from './common';
import type { LoadOptions, LoadResult } from './loadgen';

const root = path.resolve(__dirname, '..', '..');

/** Keeps track of a child process so that it is killed when the benchmark ends. */
/** Stops a child process when the benchmark ends (also after a failure or Ctrl-C). */
export function track(child: ChildProcess): ChildProcess {
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
  return child;
}

/** Runs the Node load generator (bench/lib/loadgen.ts) in a separate process. */
export function runLoadgen(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [path.join(root, 'bin', 'run-ts.js'), path.join(__dirname, 'loadgen-main.ts'), JSON.stringify(options)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (err += c));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load generator failed (${code}): ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch (error) {
        reject(new Error(`the load generator printed no result: ${out}${err}`));
      }
    });
  });
}

export const hasWrk = () => spawnSync('wrk', ['--version']).error === undefined;

export interface WrkResult {
  rps: number;
  requests: number;
  non2xx: number;
  socketErrors: string;
  latencyP50: string;
  latencyP99: string;
}

/**
 * `wrk -t<threads> -c<connections> -d<seconds>s --latency [--timeout T] [-s script] <url>`
 * (keep-alive, HTTP/1.1), parsed.
 */
export function runWrk(url: string, connections: number, seconds: number, threads = 1, extra: { script?: string; timeout?: string } = {}): Promise<WrkResult> {
  const options = [...(extra.timeout ? ['--timeout', extra.timeout] : []), ...(extra.script ? ['-s', extra.script] : [])];
  return new Promise((resolve, reject) => {
    const child = track(spawn('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', ...options, url], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    child.once('exit', (code) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const requests = /(\d+) requests in/.exec(out);
      if (code !== 0 || !rps || !requests) return reject(new Error(`wrk failed (${code}):\n${out}`));
      resolve({
        rps: Number(rps[1]),
        requests: Number(requests[1]),
        non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
        socketErrors: /Socket errors:(.*)/.exec(out)?.[1]?.trim() ?? 'none',
        latencyP50: /\s50%\s+(\S+)/.exec(out)?.[1] ?? '?',
        latencyP99: /\s99%\s+(\S+)/.exec(out)?.[1] ?? '?',
      });
    });
  });
}

/**
 * A bare `node:http` server in its own process answering `GET <route>` with the
 * same JSON (and content type) as the benchmark plugin. Returns its URL.
 */
export async function startBareServer(route: string, answer: unknown): Promise<{ url: string; pid: number }> {
  const code = `
    const http = require('node:http');
    const answer = ${JSON.stringify(answer)};
    const server = http.createServer((req, res) => {
      if (req.method === 'GET' && (req.url === ${JSON.stringify(route)} || req.url === ${JSON.stringify(route + '/')})) {
        const body = JSON.stringify(answer);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } else {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"statusCode":404}');
      }
    });
    server.keepAliveTimeout = 65000;
    server.headersTimeout = 66000;
    server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
    process.on('SIGTERM', () => process.exit(0));
  `;
  return portOf(track(spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })), route, 'the bare server');
}

/** A plain NestJS + Fastify app answering the same route (bench/lib/nest-reference-server.ts), in its own process. */
export async function startNestReferenceServer(route: string, answer: unknown): Promise<{ url: string; pid: number }> {
  const script = path.join(__dirname, 'nest-reference-server.ts');
  const runTs = path.join(__dirname, '..', '..', 'bin', 'run-ts.js');
  return portOf(track(spawn(process.execPath, [runTs, script, route, JSON.stringify(answer)], { stdio: ['ignore', 'pipe', 'inherit'] })), route, 'the Nest reference server');
}

async function portOf(child: ChildProcess, route: string, what: string): Promise<{ url: string; pid: number }> {
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}${route}`, pid: child.pid! };
}
