import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

import { describe, expect, it } from 'vitest';

import type { TrustProxy } from '../../../worker/src/core/config';
import { clientIp, compileTrust } from '../../../worker/src/core/http/client-ip';

function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new IncomingMessage(socket);
  if (forwardedFor !== undefined) req.headers['x-forwarded-for'] = forwardedFor;
  return req;
}

const none: TrustProxy = { kind: 'hops', hops: 0 };
const one: TrustProxy = { kind: 'hops', hops: 1 };
const two: TrustProxy = { kind: 'hops', hops: 2 };
const loopback: TrustProxy = { kind: 'addresses', addresses: ['loopback'] };
const lan: TrustProxy = { kind: 'addresses', addresses: ['10.0.0.0/8'] };

describe('clientIp', () => {
  it.each<[string, TrustProxy, string | undefined, string | undefined, string | undefined]>([
    ['no proxy trusted: the socket, whatever the header', none, '127.0.0.1', '203.0.113.7', '127.0.0.1'],
    ['no proxy trusted, no header', none, '198.51.100.1', undefined, '198.51.100.1'],
    ['one hop: the right-most entry', one, '127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['one hop: a spoofed leftmost entry is ignored', one, '127.0.0.1', '203.0.113.7, 198.51.100.1', '198.51.100.1'],
    ['one hop without a header: the socket', one, '127.0.0.1', undefined, '127.0.0.1'],
    ['two hops: the second from the right', two, '127.0.0.1', '203.0.113.7, 198.51.100.1, 10.0.0.2', '198.51.100.1'],
    ['two hops, one entry only: the leftmost there is', two, '127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['loopback trusted: walks past loopback hops', loopback, '127.0.0.1', '203.0.113.7, 198.51.100.1, 127.0.0.1', '198.51.100.1'],
    ['loopback trusted, IPv4-mapped socket', loopback, '::ffff:127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['range trusted, socket outside it: the socket', lan, '127.0.0.1', '203.0.113.7', '127.0.0.1'],
    ['range trusted, socket inside it', lan, '10.1.2.3', '198.51.100.1, 203.0.113.7', '203.0.113.7'],
    ['no socket address (closed)', one, undefined, '203.0.113.7', undefined],
  ])('%s', (_label, setting, remote, forwardedFor, expected) => {
    expect(clientIp(request(remote, forwardedFor), compileTrust(setting))).toBe(expected);
  });
});
