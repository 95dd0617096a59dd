/**
 * Addresses a trunk's calls may come from: single IPv4/IPv6 addresses and CIDR blocks.
 * Built on node:net's BlockList (a pure in-memory matcher, no socket involved).
 */
import { BlockList, isIP } from 'node:net';

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) is read as 203.0.113.7. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export class AllowList {
  private readonly list = new BlockList();
  readonly size: number;

  /** Entries are addresses or `address/prefix`; ones that are neither are ignored (the schema refuses them). */
  constructor(entries: readonly string[]) {
    let size = 0;
    for (const entry of entries) {
      const [addr = '', bits] = entry.split('/');
      const address = normalizeAddress(addr);
      const family = isIP(address);
      if (family === 0) continue;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
      size++;
    }
    this.size = size;
  }

  has(address: string): boolean {
    const a = normalizeAddress(address);
    const family = isIP(a);
    if (family === 0) return false;
    return this.list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  }
}
