/**
 * ACD dispatch decision time. Builds 10,000 agents (each in 2–3 of 20 queues, with skills)
 * and 100,000 waiting calls, then times the events that make a decision:
 *
 *   agentAvailable  an agent hangs up while 100,000 calls wait: find their best call
 *   callArrived     a call arrives while every agent is busy: queue it (index insert)
 *   callArrived*    a call arrives while ~1/3 of the agents are free: rank them, offer
 *
 *   npx tsx bench/acd-dispatch/run.ts [--agents 10000] [--calls 100000] [--samples 20000] [--seed 7]
 */
import { parseArgs } from 'node:util';
import {
  Dispatcher,
  queueConfig,
  seededRandom,
  type Decision,
  type QueueCallInit,
} from '../../src/acd/index.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '10000' },
    calls: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
    strategy: { type: 'string', default: 'longestIdle' },
  },
});
const AGENTS = Number(values.agents);
const CALLS = Number(values.calls);
const SAMPLES = Number(values.samples);
const rng = seededRandom(Number(values.seed));
const QUEUES = 20;
const SKILLS = ['mandarin', 'cantonese', 'english', 'billing', 'technical'];
const PRIORITIES = [30, 50, 50, 50, 70, 90];
const T0 = 1_700_000_000_000;
let now = T0;
const int = (n: number) => Math.floor(rng() * n);

function build(): Dispatcher {
  const strategy = values.strategy as Parameters<typeof queueConfig>[0]['strategy'];
  const queues = Array.from({ length: QUEUES }, (_, i) =>
    queueConfig({
      name: `q${i}`,
      strategy,
      wrapUpSeconds: 0,
      aging: { perMinute: 1, max: 95 },
      ringTimeoutSeconds: 20,
    }),
  );
  const d = new Dispatcher({ queues, rng });
  for (let i = 0; i < AGENTS; i++) {
    const skills: Record<string, number> = { mandarin: 1 + int(10) };
    for (const s of SKILLS.slice(1)) if (rng() < 0.4) skills[s] = 1 + int(10);
    const id = `a${i}`;
    d.addAgent({ id, name: id, skills }, now);
    const n = 2 + int(2);
    const qs = new Set<number>();
    while (qs.size < n) qs.add(int(QUEUES));
    d.login(
      id,
      [...qs].map((q) => ({ queue: `q${q}`, tier: rng() < 0.2 ? 2 : 1 })),
      now,
      true,
    );
  }
  return d;
}

let callSeq = 0;
function newCall(): QueueCallInit {
  const skills: Record<string, number> = {};
  if (rng() < 0.5) skills[SKILLS[int(SKILLS.length)]!] = 1 + int(5);
  const queues = [`q${int(QUEUES)}`];
  if (rng() < 0.2) queues.push(`q${int(QUEUES)}`);
  return {
    id: `c${++callSeq}`,
    callerNumber: '13800138000',
    priority: PRIORITIES[int(PRIORITIES.length)]!,
    skills,
    queues: [...new Set(queues)],
  };
}

/** Accepts every offer at once, so the agents stay busy. */
function accept(d: Dispatcher, decisions: readonly Decision[]): number {
  let n = 0;
  for (const x of decisions) {
    if (x.kind !== 'offer') continue;
    d.offerAccepted(x.callId, x.agentIds[0]!, now);
    n++;
  }
  return n;
}

function percentiles(label: string, ns: number[]): void {
  ns.sort((a, b) => a - b);
  const at = (p: number) => (ns[Math.min(ns.length - 1, Math.floor(p * ns.length))]! / 1000).toFixed(1);
  console.log(
    `${label.padEnd(34)} n=${String(ns.length).padStart(6)}  p50 ${at(0.5).padStart(7)} µs  p99 ${at(0.99).padStart(7)} µs  max ${(ns[ns.length - 1]! / 1000).toFixed(1).padStart(8)} µs`,
  );
}

function time<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t)];
}

const tBuild = Date.now();
const d = build();
// Fill: agents take calls until none is free, then CALLS more wait.
let busy = 0;
const talking: string[] = [];
while (d.size().calls < CALLS) {
  now += 5;
  const out = d.callArrived(newCall(), now);
  for (const x of out) if (x.kind === 'offer') talking.push(x.agentIds[0]!);
  busy += accept(d, out);
}
console.log(
  `built ${AGENTS} agents in ${QUEUES} queues, ${busy} calls answered, ${d.size().calls} waiting (${((Date.now() - tBuild) / 1000).toFixed(1)} s)`,
);

// Warm-up and measure: an agent frees up (hangup, no wrap-up) and is given the best waiting call.
const freed: number[] = [];
const arrived: number[] = [];
for (let i = 0; i < SAMPLES + 2000; i++) {
  now += 20;
  const k = int(talking.length);
  const agentId = talking[k]!;
  const [out, ns] = time(() => d.agentChanged(agentId, { type: 'hangup' }, now));
  const taken = accept(d, out);
  if (taken === 0) talking.splice(k, 1);
  const [, ns2] = time(() => d.callArrived(newCall(), now));
  if (i >= 2000) {
    freed.push(ns);
    arrived.push(ns2);
  }
}
console.log(`waiting calls during the run: ${d.size().calls}`);
percentiles('agentAvailable (hangup → offer)', freed);
percentiles('callArrived (all agents busy)', arrived);

// Second picture: a third of the agents free, calls arrive and are offered at once.
const d2 = build();
const busyAgents: string[] = [];
while (busyAgents.length < (AGENTS * 2) / 3) {
  now += 5;
  const out = d2.callArrived(newCall(), now);
  for (const x of out) if (x.kind === 'offer') busyAgents.push(x.agentIds[0]!);
  if (accept(d2, out) === 0 && d2.size().calls > 1000) break;
}
const offered: number[] = [];
for (let i = 0; i < SAMPLES + 2000; i++) {
  now += 20;
  const [out, ns] = time(() => d2.callArrived(newCall(), now));
  if (i >= 2000) offered.push(ns);
  for (const x of out) {
    if (x.kind !== 'offer') continue;
    d2.offerAccepted(x.callId, x.agentIds[0]!, now);
    d2.agentChanged(x.agentIds[0]!, { type: 'hangup' }, now);
  }
}
console.log(
  `second picture: ${busyAgents.length} agents busy, ${AGENTS - busyAgents.length} free, ${d2.size().calls} waiting`,
);
percentiles(`callArrived (rank free agents, ${values.strategy})`, offered);
