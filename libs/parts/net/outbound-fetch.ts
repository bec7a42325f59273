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
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True for an address a user-started fetch may reach. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = net.isIP(address);
  if (!family) return false;
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
      const request = (url.protocol === 'https:' ? https : http).get(url, { lookup, signal, headers: { 'user-agent': 'Brickyard', accept: '*/*' } }, resolve);
      request.on('error', (error) => reject(signal.aborted ? why() : error));
    });
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (hop >= (policy.maxRedirects ?? 3)) throw new OutboundError(`more than ${policy.maxRedirects ?? 3} redirects from ${safeUrl(target)}`);
      url = new URL(location, url);
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
    capped.on('close', () => signal.removeEventListener('abort', stop));
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
function safeUrl(text: string): string {
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
