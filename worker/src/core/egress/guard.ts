import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

import { Agent, buildConnector, request, type Dispatcher } from 'undici';

import { ADDRESS_CLASS_LABEL, judgeAddress, STRICT_POLICY, type AddressClass, type TargetPolicy } from './address';

export type FetchLike = typeof fetch;
/**
 * undici's `request` on the policy's agent: for a connector that sends many large bodies (the
 * embeddings client), at about a third of fetch's CPU per call. It follows no redirect.
 */
export type RequestLike = (
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<Dispatcher.ResponseData>;
/** Every address a host name resolves to (IPv4 and IPv6). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const ALLOW_PRIVATE_VARIABLE = 'SYNCHUB_ALLOW_PRIVATE_TARGETS';

/** An outbound call to a target the policy refuses; nothing was sent. */
export class EgressRefusedError extends Error {
  readonly code = 'target_not_allowed';
  constructor(
    readonly host: string,
    /** The refused address: for the log, never for the HTTP answer (it maps the caller's network). */
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    const label = ADDRESS_CLASS_LABEL[addressClass];
    const subject = isIP(host) ? `${host} is a ${label} address` : `${host} resolves to a ${label} address`;
    super(`${subject}; the worker calls loopback, private and link-local targets only when ${ALLOW_PRIVATE_VARIABLE} allows them.`);
    this.name = 'EgressRefusedError';
  }
}

/** The target's host name does not resolve, so it cannot be checked (or reached). */
export class EgressUnresolvedError extends Error {
  readonly code = 'target_unresolvable';
  constructor(readonly host: string) {
    super(`${host} does not resolve to an address.`);
    this.name = 'EgressUnresolvedError';
  }
}

/** The refusal behind a failed fetch (`TypeError: fetch failed` → cause), if that is what it was. */
export function egressRefusal(error: unknown): EgressRefusedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof EgressRefusedError) return current;
    current = current.cause;
  }
  return undefined;
}

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, order: 'verbatim' });

const bare = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Outbound HTTP under a target policy. The check runs inside the socket's own DNS lookup (and on
 * IP-literal hosts before connecting), so the address checked is the address connected to: a
 * name that resolves public at save time and private later (DNS rebinding), or a redirect to a
 * private address, is refused at connect time. `check` is the same rule ahead of time, so a
 * settings save can answer 400 instead of failing later.
 */
export class Egress {
  readonly fetch: FetchLike;
  readonly request: RequestLike;
  private readonly agent: Agent;

  constructor(
    readonly policy: TargetPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {
    const connectChecked = buildConnector({ lookup: this.lookup });
    this.agent = new Agent({
      connect: (options, callback) => {
        // Node skips `lookup` for IP literals: check those here.
        const host = bare(options.hostname);
        const refusal = isIP(host) ? this.refusal(host, [host]) : undefined;
        if (refusal) callback(refusal, null);
        else connectChecked(options, callback);
      },
    });
    // undici 7's Agent works with the fetch Node bundles (undici 6 on Node 20/22, 7 on 24); only
    // their type packages disagree (FormData typings), so the option is typed by intersection.
    this.fetch = (input, init) => fetch(input, Object.assign({}, init, { dispatcher: this.agent }));
    this.request = (url, options) => request(url, { ...options, dispatcher: this.agent });
  }

  /** Resolves `url`'s host and throws EgressRefusedError / EgressUnresolvedError unless every address is allowed. */
  async check(url: string): Promise<void> {
    const parsed = new URL(url);
    if (this.policy.allowAll) return;
    const host = bare(parsed.hostname);
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await this.resolve(host)).map((entry) => entry.address);
      } catch {
        throw new EgressUnresolvedError(host);
      }
      if (addresses.length === 0) throw new EgressUnresolvedError(host);
    }
    const refusal = this.refusal(host, addresses);
    if (refusal) throw refusal;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private refusal(host: string, addresses: string[]): EgressRefusedError | undefined {
    for (const address of addresses) {
      const verdict = judgeAddress(address, this.policy);
      if (!verdict.allowed) return new EgressRefusedError(host, address, verdict.class);
    }
    return undefined;
  }

  // Every resolved address must pass, not just the first: the socket may fall back to any of them.
  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (all) => {
        const refusal = this.refusal(
          hostname,
          all.map((entry) => entry.address),
        );
        if (refusal) return callback(refusal, '');
        const usable = options.family === 4 || options.family === 6 ? all.filter((entry) => entry.family === options.family) : all;
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

let strict: Egress | undefined;
/** The strict-policy egress behind both defaults below, created on first use. */
const strictEgress = (): Egress => (strict ??= new Egress(STRICT_POLICY));

/**
 * Connectors default to this: a connector built without the runtime's policy (a new call site, a
 * script) still refuses private targets instead of silently allowing them.
 */
export const strictFetch: FetchLike = (input, init) => strictEgress().fetch(input, init);

/** `strictFetch` for connectors that take a RequestLike. */
export const strictRequest: RequestLike = (url, options) => strictEgress().request(url, options);
