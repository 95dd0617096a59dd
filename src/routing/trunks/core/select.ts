/**
 * Which trunks an outbound call tries, in order (pure: the random source and the round-robin
 * memory are passed in). Trunks that are down, whose registration failed, or that have every
 * channel busy are left out; the caller tries the rest in the order given and moves on when
 * one fails (dial.ts).
 */
import type { TrunkStrategy } from '../../../platform/config/trunk-schema.js';

/** What selection needs to know about one trunk now. */
export interface TrunkLoad {
  /** False when the trunk is down (OPTIONS) or its registration failed. */
  readonly usable: boolean;
  readonly inUse: number;
  /** Undefined: no limit. */
  readonly maxChannels?: number;
}

export interface TrunkGroupSpec {
  readonly name: string;
  readonly strategy: TrunkStrategy;
  readonly trunks: readonly { readonly trunk: string; readonly weight: number }[];
}

/** A group, or a plain list of trunk names tried in order (failover). */
export type TrunkSource = TrunkGroupSpec | readonly string[];

/** Round-robin position per group name. Never mutated: each selection returns the next one. */
export type SelectionMemory = ReadonlyMap<string, number>;

export type SkipReason = 'unknown' | 'down' | 'full';

export interface Selection {
  /** Trunk names to try, first choice first. */
  readonly trunks: readonly string[];
  /** The memory to keep for the next selection. */
  readonly memory: SelectionMemory;
  /** Trunks left out, and why (for the log line of a call that cannot go out). */
  readonly skipped: readonly { readonly trunk: string; readonly why: SkipReason }[];
}

export type LoadLookup = ReadonlyMap<string, TrunkLoad> | ((name: string) => TrunkLoad | undefined);

function whyNot(load: TrunkLoad | undefined): SkipReason | undefined {
  if (load === undefined) return 'unknown';
  if (!load.usable) return 'down';
  if (load.maxChannels !== undefined && load.inUse >= load.maxChannels) return 'full';
  return undefined;
}

/** The ordered trunks to try for `source`. `rng` returns a number in [0, 1). */
export function selectTrunks(
  source: TrunkSource,
  loads: LoadLookup,
  rng: () => number,
  memory: SelectionMemory = new Map(),
): Selection {
  const lookup = typeof loads === 'function' ? loads : (name: string) => loads.get(name);
  const group: TrunkGroupSpec = isGroup(source)
    ? source
    : { name: '', strategy: 'failover', trunks: source.map((trunk) => ({ trunk, weight: 1 })) };
  const skipped: { trunk: string; why: SkipReason }[] = [];
  const ok = (trunk: string): boolean => {
    const why = whyNot(lookup(trunk));
    if (why !== undefined && !skipped.some((s) => s.trunk === trunk)) skipped.push({ trunk, why });
    return why === undefined;
  };
  switch (group.strategy) {
    case 'failover':
      return { trunks: group.trunks.map((m) => m.trunk).filter(ok), memory, skipped };
    case 'roundRobin':
      return roundRobin(group, ok, memory, skipped);
    case 'weighted':
      return {
        trunks: weighted(
          group.trunks.filter((m) => ok(m.trunk)),
          rng,
        ),
        memory,
        skipped,
      };
  }
}

function isGroup(source: TrunkSource): source is TrunkGroupSpec {
  return !Array.isArray(source);
}

/**
 * Starts one place further round the list each call. The next start is the member after
 * the one chosen, so a trunk that is skipped does not hand its turn to its neighbour twice.
 */
function roundRobin(
  group: TrunkGroupSpec,
  ok: (trunk: string) => boolean,
  memory: SelectionMemory,
  skipped: Selection['skipped'],
): Selection {
  const names = group.trunks.map((m) => m.trunk);
  const n = names.length;
  const start = n === 0 ? 0 : (memory.get(group.name) ?? 0) % n;
  const order: string[] = [];
  let firstIndex = -1;
  for (let i = 0; i < n; i++) {
    const index = (start + i) % n;
    const name = names[index]!;
    if (!ok(name)) continue;
    if (firstIndex === -1) firstIndex = index;
    order.push(name);
  }
  if (firstIndex === -1) return { trunks: order, memory, skipped };
  const next = new Map(memory);
  next.set(group.name, (firstIndex + 1) % n);
  return { trunks: order, memory: next, skipped };
}

/**
 * A weighted random order without replacement: the first trunk is drawn with probability
 * weight / total, the next among the rest, and so on, so failover still reaches every trunk.
 */
function weighted(
  members: readonly { readonly trunk: string; readonly weight: number }[],
  rng: () => number,
) {
  const rest = [...members];
  const order: string[] = [];
  while (rest.length > 0) {
    const total = rest.reduce((sum, m) => sum + m.weight, 0);
    let r = rng() * total;
    let index = rest.findIndex((m) => (r -= m.weight) < 0);
    if (index === -1) index = rest.length - 1; // rng() returned (almost) 1
    order.push(rest[index]!.trunk);
    rest.splice(index, 1);
  }
  return order;
}
