/**
 * Loop protection for forwarding chains. A call forwarded from extension to extension (or
 * to ring groups) remembers where it has been: it never goes back to an extension or ring
 * group it has visited (nor to the caller), and it takes at most MAX_FORWARD_HOPS forwards.
 * A forward the chain refuses is skipped, as if it were not set.
 */
import type { Destination } from '../../routing/types.js';
import type { Chain, Directory, SkippedForward } from './types.js';

export const MAX_FORWARD_HOPS = 5;

/** The chain of a new call to `first`, placed by `caller` (an extension number, if it is one). */
export function startChain(first: Destination, caller?: string): Chain {
  const visited = [keyOf(first), caller === undefined ? undefined : `ext:${caller}`];
  return { visited: visited.filter((k): k is string => k !== undefined), hops: 0 };
}

/** The chain after one more forward to `to`, or why that forward may not happen. */
export function follow(
  chain: Chain,
  to: Destination,
):
  { readonly ok: true; readonly chain: Chain } | { readonly ok: false; readonly why: SkippedForward['why'] } {
  const key = keyOf(to);
  if (key !== undefined && chain.visited.includes(key)) return { ok: false, why: 'loop' };
  if (chain.hops >= MAX_FORWARD_HOPS) return { ok: false, why: 'too-many-hops' };
  return {
    ok: true,
    chain: { visited: key === undefined ? chain.visited : [...chain.visited, key], hops: chain.hops + 1 },
  };
}

/** The destination a dialled number stands for: an extension, a ring group, or a number outside. */
export function destinationOf(number: string, directory: Directory): Destination {
  if (directory.isExtension(number)) return { type: 'extension', number };
  if (directory.isRingGroup(number)) return { type: 'ringGroup', group: number };
  return { type: 'external', number };
}

function keyOf(d: Destination): string | undefined {
  if (d.type === 'extension') return `ext:${d.number}`;
  if (d.type === 'ringGroup') return `group:${d.group}`;
  return undefined;
}
