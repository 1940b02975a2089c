import type { IncomingMessage } from 'node:http';

import proxyaddr from 'proxy-addr';

import type { TrustProxy } from '../config';

/** proxy-addr's trust test: is the address at `hop` (0 = the socket peer) a proxy we believe? */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as the one trust test both express (`trust proxy`) and the raw listeners use.
 * Walking from the socket towards the left of X-Forwarded-For, the client is the first address
 * not trusted: with no proxy trusted that is the socket peer, whatever the header says.
 */
export function compileTrust(setting: TrustProxy): TrustFunction {
  if (setting.kind === 'hops') {
    const hops = setting.hops;
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(setting.addresses);
}

/** The client address of a bare node:http request, as express computes `req.ip`. */
export function clientIp(req: IncomingMessage, trust: TrustFunction): string | undefined {
  if (!req.socket.remoteAddress) return undefined;
  return proxyaddr(req, trust);
}
