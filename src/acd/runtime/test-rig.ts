/**
 * A runtime ACD on a fake clock with fake legs, for unit tests of what callers hear and how
 * agents' calls move their state: the legs play nothing, but record what they were told to
 * play, answer when a test says so, and emit `hold` as call control's legs do.
 */
import { EventEmitter } from 'node:events';
import { Call } from '../../call/control/call.js';
import type { CallControl } from '../../call/control/control.js';
import type { Leg } from '../../call/control/leg.js';
import type { Speech } from '../../call/control/speech.js';
import type { PlayItem } from '../../media/index.js';
import { FakeClock } from '../../platform/clock.js';
import { parseConfig } from '../../platform/config/index.js';
import { createLogger } from '../../platform/log.js';
import { AcdService } from './service.js';
import type { QueueLogEntry } from '../../report/queue-log.js';
import type { AcdServiceDeps } from './core.js';
import type { AcdEvent } from './types.js';

/** Just enough of a leg for the ACD: play, answer, hang up, and a phone's hold. */
export class FakeLeg extends EventEmitter {
  readonly id: string;
  isEnded = false;
  isUp = false;
  ended: { by: 'remote' | 'local'; status: number } | undefined;
  /** Everything played to this leg with `play` (prompts, not the looped music). */
  readonly played: PlayItem[] = [];
  get party(): { number: string } {
    return { number: this.number };
  }
  constructor(readonly number: string) {
    super();
    this.id = `leg-${number}-${Math.random()}`;
  }
  startPlay(): void {}
  stopPlay(): Promise<void> {
    return Promise.resolve();
  }
  play(items: readonly PlayItem[]): Promise<object> {
    this.played.push(...items);
    return Promise.resolve({});
  }
  answer(): void {
    this.isUp = true;
    this.emit('answered');
  }
  hangup(status = 200, by: 'remote' | 'local' = 'local'): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.ended = { by, status };
    this.emit('ended', this.ended);
  }
}

export const flush = () => new Promise((r) => setImmediate(r));

/**
 * Speech that "synthesizes" each prompt as a file named after it and its arguments, e.g.
 * `prompt:queue-position {"position":2}`, so a test reads what a caller heard.
 */
const speech = {
  prompt: (id: string, args?: object) =>
    Promise.resolve([{ file: `prompt:${id} ${JSON.stringify(args ?? {})}` }]),
} as unknown as Speech;

export interface RigOptions {
  /** The whole `acd` section instead of queue `q` with agents 1002 and 1003. */
  readonly acd?: Record<string, unknown>;
  /** Dependencies to add or replace (a last-agent lookup …). */
  readonly deps?: Partial<AcdServiceDeps>;
}

/** Queue `q` with `queue`'s settings, agents 1002 and 1003 in it (or `opts.acd`). */
export function acdRig(queue: Record<string, unknown>, opts: RigOptions = {}) {
  const clock = new FakeClock();
  const events: AcdEvent[] = [];
  const agentLegs = new Map<string, FakeLeg>();
  const watchers: Array<(call: Call, leg: Leg) => void> = [];
  const callerLegs = new Map<string, FakeLeg>();
  const calls = new Map<string, Call>();
  const control = {
    ctx: { clock },
    onLegAttached: (fn: (call: Call, leg: Leg) => void) => {
      watchers.push(fn);
      return () => {};
    },
    markAnswered: () => {},
    originate: (call: Call, agent: string, opts: { attach?: boolean } = {}) => {
      const leg = new FakeLeg(agent);
      agentLegs.set(agent, leg);
      if (opts.attach !== false) for (const fn of watchers) fn(call, leg as unknown as Leg);
      return Promise.resolve(leg);
    },
    answered: (leg: FakeLeg) =>
      new Promise<boolean>((resolve) => {
        leg.once('answered', () => resolve(true));
        leg.once('ended', () => resolve(false));
      }),
    bridge: () => Promise.resolve(),
    createCall: (caller: { number: string }, callee: string, id?: string) =>
      new Call(caller, callee, clock.now(), id),
    attach: () => {},
  };
  const rows: QueueLogEntry[] = [];
  const config = parseConfig(
    JSON.stringify({
      acd: opts.acd ?? {
        queues: [{ name: 'q', wrapUpSeconds: 0, ...queue }],
        agents: [
          { agent: '1002', queues: [{ queue: 'q' }] },
          { agent: '1003', queues: [{ queue: 'q' }] },
        ],
      },
    }),
    'test',
  );
  const service = new AcdService({
    control: control as unknown as CallControl,
    speech,
    config: () => config.acd,
    musicOnHold: () => Promise.resolve([{ file: 'music.wav' }]),
    prompts: () => Promise.resolve([]),
    queueLog: [{ append: (e) => Promise.resolve(void rows.push(e)) }],
    route: () => Promise.resolve(),
    contactsOf: () => [{ requestUri: {}, dest: {} }] as never,
    logger: createLogger({ level: 'silent' }),
    ...opts.deps,
  });
  service.subscribe((e) => events.push(e));
  return {
    clock,
    service,
    events,
    /** The queue log rows written, in order. */
    rows,
    agentLeg: (agent: string) => agentLegs.get(agent)!,
    callerLeg: (id: string) => callerLegs.get(id)!,
    call: (id: string) => calls.get(id)!,
    status: (agent: string) => service.agentStatus([agent])[0],
    /** A caller enters `queue` (`q`) as call `id`, with the call data routing gave it. */
    async enter(
      id: string,
      number = '13800000001',
      data: Record<string, string | number | boolean> = {},
      queue = 'q',
    ) {
      const leg = new FakeLeg(number);
      callerLegs.set(id, leg);
      const call = new Call({ number }, '96120', clock.now(), id);
      for (const [k, v] of Object.entries(data)) call.setData(k, v);
      calls.set(id, call);
      await service.enqueue(call, leg as unknown as Leg, { queues: [queue] });
      await flush();
    },
    /** A call the ACD did not make reaches `number`'s phone (a colleague calling, dialling out). */
    directCall(number: string, id = `direct-${number}`): FakeLeg {
      const leg = new FakeLeg(number);
      const call = new Call({ number: '1009' }, number, clock.now(), id);
      for (const fn of watchers) fn(call, leg as unknown as Leg);
      return leg;
    },
    /** The agent rung last answers the call it was offered. */
    async answer(agent: string) {
      await flush();
      agentLegs.get(agent)!.answer();
      await flush();
    },
  };
}

/** What a fake leg was told to say, one entry per prompt (see the rig's speech). */
export function said(leg: FakeLeg): string[] {
  return leg.played.flatMap((p) => ('file' in p && p.file.startsWith('prompt:') ? [p.file.slice(7)] : []));
}
