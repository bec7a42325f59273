import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { Readable, Transform } from 'node:stream';

/**
 * Addresses a fetch started by a user (a part page's enrichment, a dump URL)
 * must not reach: this machine, private networks, link-local (cloud metadata),
 * carrier-grade NAT, multicast and reserved ranges.
 */
const PRIVATE = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], ['::1', 128], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['64:ff9b:1::', 48], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) PRIVATE.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedIPv4(address: string): string | undefined {
  const groups = expand(address);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined. */
function expand(address: string): number[] | undefined {
  let text = address.split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.length === 8 ? groups.map((g) => Number.parseInt(g, 16)) : undefined;
}

/** True for an address a user-started fetch may reach. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (!family) return false;
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner) return isPublicAddress(inner);
  }
  return !PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundError extends Error {}

export interface OutboundPolicy {
  /** Host names or addresses (optionally `host:port`) allowed although private, e.g. a local mirror; a setting lists them. */
  allowHosts: readonly string[];
  /** The name of that setting, for messages. */
  allowSetting: string;
  /** Whole fetch, headers and body. */
  timeoutMs: number;
  timeoutSetting: string;
  /** Bytes of body read at most (as sent, before any decompression by the caller). */
  maxBytes: number;
  maxBytesSetting: string;
  /** Redirects followed, each checked like the first request. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, failing with an OutboundError past `maxBytes` or the deadline. */
  body: Readable;
  /** The URL finally answered (after redirects). */
  url: string;
}

const allowed = (policy: OutboundPolicy, url: URL) => {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return policy.allowHosts.includes(host) || policy.allowHosts.includes(`${host}:${port}`);
};

/**
 * GETs an http(s) URL for a user-started job under a policy: public hosts only
 * (checked on the address actually connected to, so a name cannot resolve to
 * a public address for the check and a private one for the connection),
 * redirects re-checked, one deadline for everything, and the body cut off at
 * `maxBytes` while it streams. Every refusal names the setting that governs it.
 */
export async function fetchOutbound(target: string, policy: OutboundPolicy): Promise<OutboundResponse> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = policy.signal ? AbortSignal.any([deadline, policy.signal]) : deadline;
  const why = () =>
    deadline.aborted ? new OutboundError(`no complete answer from ${safeUrl(target)} within ${policy.timeoutMs} ms (${policy.timeoutSetting})`) : (policy.signal?.reason ?? new OutboundError('aborted'));
  let url = new URL(target);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError(`only http and https URLs are fetched, not ${url.protocol}`);
    const exempt = allowed(policy, url);
    const lookup: net.LookupFunction = (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return (callback as (e: Error) => void)(error);
        const list = addresses as dns.LookupAddress[];
        const refused = list.find((a) => !exempt && !isPublicAddress(a.address));
        if (refused) {
          return (callback as (e: Error) => void)(
            new OutboundError(`${hostname} is ${refused.address}, a private or local address: fetches go to public hosts only (${policy.allowSetting} lists exceptions)`),
          );
        }
        if ((options as { all?: boolean }).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
      });
    };
    // Literal addresses skip `lookup`: check them here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && !exempt && !isPublicAddress(literal)) {
      throw new OutboundError(`${literal} is a private or local address: fetches go to public hosts only (${policy.allowSetting} lists exceptions)`);
    }
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      if (signal.aborted) return reject(why());
      // No shared agent: a pooled connection would be reused without `lookup`, so without the address check.
      const request = (url.protocol === 'https:' ? https : http).get(url, { lookup, signal, agent: false, headers: { 'user-agent': 'Brickyard', accept: '*/*' } }, resolve);
      request.on('error', (error) => reject(signal.aborted ? why() : error));
    });
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.destroy(); // a redirect's body is not read (it could be endless)
      if (hop >= (policy.maxRedirects ?? 3)) throw new OutboundError(`more than ${policy.maxRedirects ?? 3} redirects from ${safeUrl(target)}`);
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:') throw new OutboundError(`${safeUrl(url.toString())} redirects from https to ${next.protocol.replace(':', '')}: refused`);
      url = next;
      continue;
    }
    let read = 0;
    const capped = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        if (read > policy.maxBytes) return done(new OutboundError(`the answer from ${safeUrl(url.toString())} is larger than ${policy.maxBytes} bytes (${policy.maxBytesSetting})`));
        done(null, chunk);
      },
    });
    const stop = () => capped.destroy(why());
    signal.addEventListener('abort', stop, { once: true });
    capped.on('close', () => {
      signal.removeEventListener('abort', stop);
      response.destroy(); // the cap tripped, the caller stopped reading, or the body ended: the socket goes too
    });
    capped.on('error', () => {}); // a body its caller abandoned must not crash the process when the deadline passes; readers still get the error
    response.on('error', (error) => capped.destroy(signal.aborted ? why() : error));
    response.pipe(capped);
    return { status: response.statusCode ?? 0, headers: response.headers, body: capped, url: url.toString() };
  }
}

/** Reads a whole (capped) body as text. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A URL for messages: no credentials, no query values. */
export function safeUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    url.search = url.search ? '?…' : '';
    return url.toString();
  } catch {
    return '(a URL)';
  }
}

/**
 * A comma-separated list of hosts (`name`, `1.2.3.4`, `[::1]`, each optionally
 * `:port`) as fetchOutbound compares them: lower case, IPv6 without brackets.
 */
export function parseHostList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => entry.replace(/^\[([^\]]*)\](:\d+)?$/, (_all, address: string, port = '') => address + port));
}
