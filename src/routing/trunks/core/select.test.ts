import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectTrunks, type SelectionMemory, type TrunkGroupSpec, type TrunkLoad } from './select.js';

const free: TrunkLoad = { usable: true, inUse: 0 };
const loads = (entries: Record<string, TrunkLoad>) => new Map(Object.entries(entries));
const never = () => {
  throw new Error('rng not expected');
};
const group = (strategy: TrunkGroupSpec['strategy'], ...members: [string, number?][]): TrunkGroupSpec => ({
  name: 'g',
  strategy,
  trunks: members.map(([trunk, weight]) => ({ trunk, weight: weight ?? 1 })),
});

/** A fixed sequence of random numbers, repeated. */
function seq(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('trunk selection', () => {
  it('tries a failover group in the order listed', () => {
    const s = selectTrunks(
      group('failover', ['a'], ['b'], ['c']),
      loads({ a: free, b: free, c: free }),
      never,
    );
    assert.deepEqual(s.trunks, ['a', 'b', 'c']);
  });

  it('leaves out trunks that are down, full or unknown, and says why', () => {
    const s = selectTrunks(
      ['a', 'b', 'c', 'd'],
      loads({ a: { usable: false, inUse: 0 }, b: { usable: true, inUse: 30, maxChannels: 30 }, c: free }),
      never,
    );
    assert.deepEqual(s.trunks, ['c']);
    assert.deepEqual(s.skipped, [
      { trunk: 'a', why: 'down' },
      { trunk: 'b', why: 'full' },
      { trunk: 'd', why: 'unknown' },
    ]);
  });

  it('takes a trunk with a free channel below its limit', () => {
    const s = selectTrunks(['a'], loads({ a: { usable: true, inUse: 29, maxChannels: 30 } }), never);
    assert.deepEqual(s.trunks, ['a']);
  });

  it('starts a round-robin group one further each call', () => {
    const g = group('roundRobin', ['a'], ['b'], ['c']);
    const l = loads({ a: free, b: free, c: free });
    let memory: SelectionMemory = new Map();
    const firsts: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const s = selectTrunks(g, l, never, memory);
      firsts.push([...s.trunks]);
      memory = s.memory;
    }
    assert.deepEqual(firsts, [
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
  });

  it('does not give a down trunk’s turn to its neighbour twice in a row', () => {
    const g = group('roundRobin', ['a'], ['b'], ['c']);
    const l = loads({ a: free, b: { usable: false, inUse: 0 }, c: free });
    let memory: SelectionMemory = new Map([['g', 1]]);
    const firsts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = selectTrunks(g, l, never, memory);
      firsts.push(s.trunks[0]!);
      memory = s.memory;
    }
    assert.deepEqual(firsts, ['c', 'a', 'c', 'a']);
  });

  it('leaves the round-robin memory alone when nothing is available', () => {
    const memory = new Map([['g', 2]]);
    const s = selectTrunks(
      group('roundRobin', ['a']),
      loads({ a: { usable: false, inUse: 0 } }),
      never,
      memory,
    );
    assert.deepEqual(s.trunks, []);
    assert.equal(s.memory, memory);
  });

  it('draws a weighted group in proportion to the weights, then lists the rest', () => {
    const g = group('weighted', ['a', 3], ['b', 1]);
    const l = loads({ a: free, b: free });
    // rng × total 4: below 3 picks a, 3 and above picks b.
    assert.deepEqual(selectTrunks(g, l, seq(0.74)).trunks, ['a', 'b']);
    assert.deepEqual(selectTrunks(g, l, seq(0.75, 0)).trunks, ['b', 'a']);
    let a = 0;
    const rng = seq(...Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400));
    for (let i = 0; i < 400; i++) if (selectTrunks(g, l, rng).trunks[0] === 'a') a++;
    assert.ok(a > 280 && a < 320, `a came first ${a} times in 400`);
  });

  it('never draws an unavailable trunk in a weighted group', () => {
    const g = group('weighted', ['a', 1000], ['b', 1]);
    const s = selectTrunks(g, loads({ a: { usable: false, inUse: 0 }, b: free }), seq(0.1));
    assert.deepEqual(s.trunks, ['b']);
  });
});
