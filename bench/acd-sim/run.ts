/**
 * A day of traffic through the real Dispatcher on a virtual clock, once per strategy, next
 * to Erlang C's prediction for the busy hour.
 *
 *   npx tsx bench/acd-sim/run.ts [--agents 45] [--calls-per-hour 600] [--seed 1]
 *        [--talk 225] [--wrap-up 15] [--patience 180] [--strategies longestIdle,random,…]
 */
import { parseArgs } from 'node:util';
import {
  Dispatcher,
  erlangCLoad,
  queueConfig,
  seededRandom,
  STRATEGY_NAMES,
  type Decision,
  type StrategyName,
} from '../../src/acd/index.js';
import { Heap } from '../../src/acd/heap.js';
import { generateAgents, generateDay, HOURLY_PROFILE, type SimAgent, type SimCall } from './traffic.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '45' },
    'calls-per-hour': { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    talk: { type: 'string', default: '225' },
    'wrap-up': { type: 'string', default: '15' },
    patience: { type: 'string', default: '180' },
    strategies: { type: 'string', default: STRATEGY_NAMES.join(',') },
  },
});
const AGENTS = Number(values.agents);
const CPH = Number(values['calls-per-hour']);
const SEED = Number(values.seed);
const WRAP = Number(values['wrap-up']);
const SL_SECONDS = 20;
const S = 1000;
const HOUR = 3_600_000;
const BUSY_HOUR = HOURLY_PROFILE.indexOf(Math.max(...HOURLY_PROFILE));
/** Midnight of an arbitrary day: the dispatcher only sees differences. */
const DAY = 1_700_000_000_000 - (1_700_000_000_000 % (24 * HOUR));

type SimEvent =
  | { at: number; seq: number; kind: 'arrive'; call: SimCall }
  | { at: number; seq: number; kind: 'abandon'; call: SimCall }
  | { at: number; seq: number; kind: 'answer'; call: SimCall; agentId: string }
  | { at: number; seq: number; kind: 'hangup'; agentId: string }
  | { at: number; seq: number; kind: 'ready'; agentId: string };
type NewEvent = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'seq'> : never) : never;

interface Outcome {
  answeredAfterMs?: number;
  abandonedAfterMs?: number;
}

interface Result {
  readonly offered: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly serviceLevel: number;
  readonly asa: number;
  readonly aht: number;
  readonly occupancy: number;
  readonly busy: { offered: number; serviceLevel: number; asa: number; abandoned: number; aht: number };
}

function simulate(strategy: StrategyName, calls: readonly SimCall[], agents: readonly SimAgent[]): Result {
  const behaviour = seededRandom(SEED + 99);
  const q = queueConfig({
    name: 'support',
    strategy,
    wrapUpSeconds: WRAP,
    ringTimeoutSeconds: 15,
    serviceLevelSeconds: SL_SECONDS,
  });
  const d = new Dispatcher({ queues: [q], rng: seededRandom(SEED + 7) });
  const byId = new Map(calls.map((c) => [c.id, c]));
  const outcome = new Map<string, Outcome>();
  const handleMs: number[] = [];
  const answeredAt = new Map<string, number>();
  let seq = 0;
  const events = new Heap<SimEvent>((a, b) => (a.at !== b.at ? a.at < b.at : a.seq < b.seq));
  const push = (e: NewEvent) => events.push({ ...e, seq: seq++ } as SimEvent);
  const open = DAY + 8 * HOUR;
  for (const a of agents) {
    d.addAgent({ id: a.id, name: a.id, skills: a.skills }, open);
    d.login(a.id, [{ queue: 'support' }], open, true);
  }
  for (const c of calls) push({ kind: 'arrive', at: DAY + c.at, call: c });

  const handle = (out: readonly Decision[], now: number) => {
    for (const x of out) {
      if (x.kind === 'offer') {
        const call = byId.get(x.callId)!;
        // 2 % of offers ring out (RONA); the others are answered after 2–6 s by one agent.
        if (behaviour() < 0.02) continue;
        const agentId = x.agentIds[Math.floor(behaviour() * x.agentIds.length)]!;
        push({ kind: 'answer', at: now + 2 * S + behaviour() * 4 * S, call, agentId });
      } else if (x.kind === 'agentState' && x.state.presence.kind === 'notReady') {
        push({ kind: 'ready', at: now + 30 * S, agentId: x.agentId });
      }
    }
  };

  for (;;) {
    const next = events.peek();
    const deadline = d.nextDeadline();
    if (next === undefined && deadline === undefined) break;
    if (deadline !== undefined && (next === undefined || deadline <= next.at)) {
      handle(d.tick(deadline), deadline);
      continue;
    }
    const e = events.pop()!;
    const now = e.at;
    if (e.kind === 'arrive') {
      outcome.set(e.call.id, {});
      push({ kind: 'abandon', at: now + e.call.patienceMs, call: e.call });
      const skills = { [e.call.skill]: e.call.minLevel };
      handle(
        d.callArrived(
          { id: e.call.id, callerNumber: '1', priority: 50, vip: e.call.vip, skills, queues: ['support'] },
          now,
        ),
        now,
      );
    } else if (e.kind === 'abandon') {
      const o = outcome.get(e.call.id)!;
      if (o.answeredAfterMs !== undefined || o.abandonedAfterMs !== undefined) continue;
      o.abandonedAfterMs = now - DAY - e.call.at;
      handle(d.callLeft(e.call.id, 'abandoned', now), now);
    } else if (e.kind === 'answer') {
      const o = outcome.get(e.call.id)!;
      if (
        d.agent(e.agentId).state.activity !== 'reserved' ||
        o.abandonedAfterMs !== undefined ||
        o.answeredAfterMs !== undefined
      )
        continue;
      o.answeredAfterMs = now - DAY - e.call.at;
      handle(d.offerAccepted(e.call.id, e.agentId, now), now);
      answeredAt.set(e.agentId, now);
      push({ kind: 'hangup', at: now + e.call.talkMs, agentId: e.agentId });
    } else if (e.kind === 'hangup') {
      handleMs.push(now - answeredAt.get(e.agentId)! + WRAP * S);
      handle(d.agentChanged(e.agentId, { type: 'hangup' }, now), now);
    } else {
      if (d.agent(e.agentId).state.presence.kind === 'notReady')
        handle(d.agentChanged(e.agentId, { type: 'ready' }, now), now);
    }
  }
  return summarise(d, calls, outcome, handleMs);
}

function summarise(
  d: Dispatcher,
  calls: readonly SimCall[],
  outcome: Map<string, Outcome>,
  handleMs: number[],
): Result {
  const snap = d.queueSnapshot('support', DAY + 24 * HOUR).today;
  let busyMs = 0;
  let loggedMs = 0;
  for (let i = 1; i <= AGENTS; i++) {
    const a = d.agentSnapshot(`agent${i}`, DAY + 20 * HOUR);
    for (const [code, s] of Object.entries(a.timeInStateSeconds)) {
      loggedMs += s * S;
      if (/\/(reserved|talking|held|wrapUp)$/.test(code)) busyMs += s * S;
    }
  }
  const inBusy = calls.filter((c) => Math.floor(c.at / HOUR) === BUSY_HOUR).map((c) => outcome.get(c.id)!);
  const answered = inBusy.filter((o) => o.answeredAfterMs !== undefined);
  const shortAbandon = inBusy.filter((o) => (o.abandonedAfterMs ?? Infinity) <= SL_SECONDS * S).length;
  return {
    offered: snap.offered,
    answered: snap.answered,
    abandoned: snap.abandonRate ?? 0,
    serviceLevel: snap.serviceLevel ?? 0,
    asa: snap.asaSeconds ?? 0,
    aht: snap.ahtSeconds ?? 0,
    occupancy: (100 * busyMs) / loggedMs,
    busy: {
      offered: inBusy.length,
      serviceLevel:
        (100 * answered.filter((o) => o.answeredAfterMs! <= SL_SECONDS * S).length) /
        (inBusy.length - shortAbandon),
      asa: answered.reduce((s, o) => s + o.answeredAfterMs!, 0) / answered.length / S,
      abandoned: (100 * (inBusy.length - answered.length)) / inBusy.length,
      aht: handleMs.reduce((s, x) => s + x, 0) / handleMs.length / S,
    },
  };
}

const calls = generateDay({
  callsPerHour: CPH,
  talkSeconds: Number(values.talk),
  talkCv: 0.6,
  patienceSeconds: Number(values.patience),
  seed: SEED,
});
const agents = generateAgents(AGENTS, SEED);
console.log(
  `acd-sim: ${calls.length} calls over 08:00–20:00, busy hour ${BUSY_HOUR}:00 at ${CPH} calls/h, ${AGENTS} agents, talk ${String(values.talk)} s lognormal (cv 0.6) + ${WRAP} s wrap-up, patience ${String(values.patience)} s exponential, seed ${SEED}`,
);
console.log('day: SL = answered ≤ 20 s ÷ (answered + abandoned > 20 s); busy hour: calls that arrived in it');
const head = [
  'strategy',
  'offered',
  'answered',
  'aband%',
  'SL%',
  'ASA s',
  'AHT s',
  'occup%',
  '| busy: calls',
  'SL%',
  'ASA s',
  'aband%',
];
console.log(head.map((h, i) => (i === 0 ? h.padEnd(14) : h.padStart(i === 8 ? 14 : 9))).join(''));
let aht = 0;
let busyCalls = 0;
for (const name of String(values.strategies).split(',') as StrategyName[]) {
  const t = Date.now();
  const r = simulate(name, calls, agents);
  aht = r.busy.aht;
  busyCalls = r.busy.offered;
  const cells = [
    r.offered,
    r.answered,
    r.abandoned.toFixed(1),
    r.serviceLevel.toFixed(1),
    r.asa.toFixed(1),
    r.aht.toFixed(0),
    r.occupancy.toFixed(1),
    r.busy.offered,
    r.busy.serviceLevel.toFixed(1),
    r.busy.asa.toFixed(1),
    r.busy.abandoned.toFixed(1),
  ];
  console.log(
    name.padEnd(14) +
      cells.map((c, i) => String(c).padStart(i === 7 ? 14 : 9)).join('') +
      `   (${Date.now() - t} ms)`,
  );
}
const e = erlangCLoad({ callsPerHour: busyCalls, ahtSeconds: aht, agents: AGENTS }, SL_SECONDS);
console.log(
  `Erlang C, busy hour (${busyCalls} calls/h, AHT ${aht.toFixed(0)} s, ${AGENTS} agents, ${e.erlangs.toFixed(1)} erlangs): ` +
    `P(wait) ${(100 * e.probabilityWait).toFixed(1)} %, SL ${(100 * e.serviceLevel).toFixed(1)} %, ASA ${e.asaSeconds.toFixed(1)} s, occupancy ${(100 * e.occupancy).toFixed(1)} % (no abandonment, no skills)`,
);
