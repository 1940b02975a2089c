import ipaddr from 'ipaddr.js';

/**
 * What kind of network an address belongs to. Only `public` is reachable by default: everything
 * else is this machine, its LAN, its cloud metadata service or not a destination at all.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'carrier_grade_nat'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'ipv4_embedded'
  | 'reserved'
  | 'not_an_address';

/** ipaddr.js range names → ours; a range missing here (documentation, benchmarking, AS112…) is `reserved`. */
const RANGE_CLASS: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  deprecatedSiteLocal: 'private',
  linkLocal: 'link_local',
  uniqueLocal: 'unique_local',
  carrierGradeNat: 'carrier_grade_nat',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  // IPv6 forms that carry an IPv4 address a translator may hand to the IPv4 stack.
  rfc6145: 'ipv4_embedded',
  rfc6052: 'ipv4_embedded',
  '6to4': 'ipv4_embedded',
  teredo: 'ipv4_embedded',
};

export const ADDRESS_CLASS_LABEL: Record<AddressClass, string> = {
  public: 'public',
  loopback: 'loopback',
  private: 'private-network',
  link_local: 'link-local',
  unique_local: 'unique-local (private IPv6)',
  carrier_grade_nat: 'carrier-grade NAT',
  unspecified: 'unspecified (0.0.0.0 or ::)',
  multicast: 'multicast',
  broadcast: 'broadcast',
  ipv4_embedded: 'IPv4-embedding IPv6',
  reserved: 'reserved',
  not_an_address: 'invalid',
};

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return undefined;
  // process() turns ::ffff:a.b.c.d into a.b.c.d, so a mapped address is judged as the IPv4 it is.
  return ipaddr.process(bare);
}

/** The class of one IP address (IPv4, IPv6, bracketed or not); pure. */
export function classifyAddress(address: string): AddressClass {
  const parsed = parse(address);
  if (!parsed) return 'not_an_address';
  // ::a.b.c.d (IPv4-compatible, deprecated): ipaddr.js calls it unicast, some stacks route it as IPv4.
  if (parsed instanceof ipaddr.IPv6 && parsed.parts.slice(0, 6).every((part) => part === 0)) {
    return parsed.parts[6] === 0 && parsed.parts[7] === 0 ? 'unspecified' : parsed.parts[6] === 0 && parsed.parts[7] === 1 ? 'loopback' : 'ipv4_embedded';
  }
  return RANGE_CLASS[parsed.range()] ?? 'reserved';
}

/**
 * Which non-public targets outbound calls may reach: none (the default), all, or the listed
 * CIDR ranges (a bare address is a /32 or /128).
 */
export interface TargetPolicy {
  allowAll: boolean;
  allowRanges: readonly string[];
}

export const STRICT_POLICY: TargetPolicy = { allowAll: false, allowRanges: [] };

/**
 * `SYNCHUB_ALLOW_PRIVATE_TARGETS`: `false`/empty, `true`, or a comma list of CIDRs/addresses.
 * Throws an Error naming the entry it cannot read.
 */
export function parseTargetPolicy(value: string | undefined): TargetPolicy {
  const text = (value ?? '').trim();
  const lowered = text.toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(lowered)) return STRICT_POLICY;
  if (['1', 'true', 'yes', 'on'].includes(lowered)) return { allowAll: true, allowRanges: [] };
  const ranges = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const cidr = entry.includes('/') ? entry : `${entry}/${ipaddr.IPv6.isValid(entry) ? 128 : 32}`;
      if (!ipaddr.isValidCIDR(cidr))
        throw new Error(`"${entry}" is not an address or CIDR range (expected true, false or a list such as 127.0.0.1/32,10.0.0.0/8)`);
      const [address, bits] = ipaddr.parseCIDR(cidr);
      return `${address.toString()}/${bits}`;
    });
  return { allowAll: false, allowRanges: ranges };
}

function inRanges(parsed: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly string[]): boolean {
  return ranges.some((range) => {
    const [network, bits] = ipaddr.parseCIDR(range);
    return network.kind() === parsed.kind() && parsed.match(network, bits);
  });
}

export type TargetVerdict = { allowed: true; class: AddressClass } | { allowed: false; class: AddressClass };

/** Whether an outbound call may connect to `address` under `policy`; pure. */
export function judgeAddress(address: string, policy: TargetPolicy): TargetVerdict {
  const kind = classifyAddress(address);
  if (kind === 'not_an_address') return { allowed: false, class: kind };
  if (kind === 'public' || policy.allowAll) return { allowed: true, class: kind };
  const parsed = parse(address);
  return { allowed: parsed !== undefined && inRanges(parsed, policy.allowRanges), class: kind };
}
