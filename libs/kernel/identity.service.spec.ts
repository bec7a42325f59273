import type { IncomingMessage } from 'node:http';
import { expect, test } from 'vitest';
import { IdentityService, RejectedCredentials } from './identity.service';

const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

test('anonymous callers are told apart by address: IPv4 as is, IPv6 by its /64', () => {
  const identity = new IdentityService('t'.repeat(32));
  expect(identity.identify(request('::ffff:10.1.2.3'))).toEqual({ userId: null, role: 'anonymous', address: '10.1.2.3' });
  expect(identity.clientAddress(request('2001:db8:1:2:aaaa::1'))).toBe('2001:db8:1:2::/64');
  expect(identity.clientAddress(request('2001:db8:1:2:bbbb:cccc:dddd:eeee'))).toBe('2001:db8:1:2::/64');
  expect(identity.clientAddress(request('::1'))).toBe('0:0:0:0::/64');
});

test('X-Forwarded-For is read only behind trusted proxies, from its end', () => {
  const spoofed = request('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' });
  expect(new IdentityService('t'.repeat(32)).clientAddress(spoofed)).toBe('127.0.0.1');
  expect(new IdentityService('t'.repeat(32), 1).clientAddress(spoofed)).toBe('203.0.113.7');
  expect(new IdentityService('t'.repeat(32), 2).clientAddress(spoofed)).toBe('6.6.6.6');
  expect(new IdentityService('t'.repeat(32), 1).clientAddress(request('127.0.0.1', { 'x-forwarded-for': 'not-an-ip' }))).toBe('127.0.0.1');
});

test('the admin token makes the admin; a wrong or malformed credential is refused, not ignored', () => {
  const token = 'a'.repeat(32);
  const identity = new IdentityService(token);
  expect(identity.identify(request('127.0.0.1', { authorization: `Bearer ${token}` }))).toMatchObject({ role: 'admin', userId: 'admin' });
  expect(() => identity.identify(request('127.0.0.1', { authorization: 'Bearer wrong' }))).toThrow(RejectedCredentials);
  expect(() => identity.identify(request('127.0.0.1', { authorization: 'Basic abc' }))).toThrow(/must be "Bearer <token>"/);
});
