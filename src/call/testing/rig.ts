/**
 * Hotline's call layer on the in-memory network for the call-layer tests: CallControl on
 * fake media, CDR and recording stores, an INVITE router shaped like the pbx's (Replaces,
 * the *44/*45/*46 test numbers, extension to extension), and phones.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlayItem } from '../../media/index.js';
import { getHeader } from '../../sip/message/index.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { Admission } from '../admission.js';
import { callExtension } from '../apps/extension-call.js';
import { ConferenceRooms } from '../apps/conference-room.js';
import { dtmfTest } from '../apps/dtmf-test.js';
import { recordTest } from '../apps/record-test.js';
import { CallControl, type CallControlDeps } from '../control/control.js';
import type { Leg } from '../control/leg.js';
import { Speech, type SpeechSource } from '../control/speech.js';
import { replaceInvite } from '../control/transfer.js';
import type { Party } from '../control/types.js';
import { FakeMedia } from './fake-media.js';
import { MemoryCdrLegs, MemoryCdrs, MemoryRecordings } from './fakes.js';
import { MEDIA_ADDRESS, Network, Pbx } from './network.js';
import { Phone } from './phone.js';

export const MUSIC_ON_HOLD: readonly PlayItem[] = [{ file: '/moh/default/song.wav' }];
/** Where the rig's recordings go (folders are created; the fake engine writes no file). */
export const RECORDING_DIR = join(tmpdir(), 'hotline-call-tests', 'recordings');

/** A TTS stand-in: every text "is" a file named after it, so plays can be read in tests. */
export const fakeTts: SpeechSource = {
  get: (req) => Promise.resolve({ path: `/tts/${req.lang}/${req.text}.wav` }),
};

export interface CallRigOptions {
  /** Registered contacts of 1002, rung in parallel; default 1. */
  readonly contacts?: number;
  readonly ringTimeoutMs?: number;
  /** Record every bridge (default off). */
  readonly recording?: boolean;
  /** FakeMedia reports every non-looped playback finished on the next macrotask. */
  readonly autoFinishPlays?: boolean;
  readonly dtmfTestMaxDurationMs?: number;
  readonly recordTestMaxDurationMs?: number;
  /** What the layers above know of a new leg's role (the ACD's agents). */
  readonly roleOf?: CallControlDeps['roleOf'];
}

/** Hotline with phones 1001 (the caller) and 1002 (one phone per contact); `phone()` adds more. */
export function callRig(o: CallRigOptions = {}) {
  const net = new Network();
  const pbx = new Pbx(net);
  const media = new FakeMedia(() => net.clock.now());
  media.autoFinishPlays = o.autoFinishPlays ?? false;
  const cdrs = new MemoryCdrs();
  const cdrLegs = new MemoryCdrLegs();
  const recordings = new MemoryRecordings();
  const admission = new Admission({ maxCalls: 10, maxCallsPerSecond: 10 }, net.clock);
  const phones = new Map<string, Phone[]>();
  const control = new CallControl({
    ctx: pbx.ctx,
    media,
    mediaAddress: MEDIA_ADDRESS,
    offer: { codecs: ['PCMU', 'PCMA'], telephoneEvent: 101, ptimeMs: 20 },
    cdrs,
    cdrLegs,
    recordings,
    recording: { enabled: o.recording ?? false, dir: RECORDING_DIR },
    musicOnHold: () => Promise.resolve(MUSIC_ON_HOLD),
    resolve: (n) => (phones.get(n) ?? []).map((p) => p.callee),
    ringTimeoutMs: o.ringTimeoutMs ?? 30_000,
    ...(o.roleOf ? { roleOf: o.roleOf } : {}),
    logger: pbx.ctx.logger,
  });
  const speech = new Speech(fakeTts, 'en', pbx.ctx.logger);
  const rooms = new ConferenceRooms(control);
  let hosts = 0;
  /** A phone registered as `user` (several per user fork). */
  const phone = (user: string, name = user) => {
    const p = new Phone(net, { user, name, address: `192.0.2.${10 * ++hosts}` });
    phones.set(user, [...(phones.get(user) ?? []), p]);
    return p;
  };
  const caller = phone('1001');
  const callees = Array.from({ length: o.contacts ?? 1 }, (_, i) =>
    phone('1002', i === 0 ? '1002' : `1002#${i + 1}`),
  );
  const rig = {
    net,
    pbx,
    media,
    cdrs,
    cdrLegs,
    recordings,
    admission,
    control,
    speech,
    rooms,
    caller,
    callee: callees[0]!,
    callees,
    phone,
    /** Calls whose admission slot was given back. */
    endedCalls: 0,
    /** Errors the router caught (a test expects none). */
    errors: [] as unknown[],
    /** Settles the network over several macrotasks (plays the fake engine finishes on its own). */
    idle: async (rounds = 20): Promise<void> => {
      for (let i = 0; i < rounds; i++) await net.settle();
    },
    /**
     * Settles until `done()` holds, letting real time pass too: starting a recording creates
     * its folder on disk. Throws after `ms` of real time.
     */
    until: async (done: () => boolean, what = 'the condition', ms = 2000): Promise<void> => {
      const deadline = Date.now() + ms;
      for (;;) {
        await net.settle();
        if (done()) return;
        if (Date.now() > deadline) throw new Error(`${what} never came:\n${net.trace()}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    /** The live legs of a party, oldest first. */
    legsOf: (number: string): Leg[] => [...control.legs()].filter((l) => l.party.number === number),
    /** The one live leg of a party; throws unless there is exactly one. */
    legOf: (number: string): Leg => {
      const legs = rig.legsOf(number);
      if (legs.length !== 1) throw new Error(`${number} has ${legs.length} live legs:\n${net.trace()}`);
      return legs[0]!;
    },
  };
  pbx.handle((req, txn) => {
    if (req.method !== 'INVITE') return pbx.ua.respond(txn, 405);
    route(rig, o, req, txn as ServerInviteTransaction);
  });
  return rig;
}

export type CallRig = ReturnType<typeof callRig>;

/** What the pbx's invite handler does, minus authentication and the dialplan's configuration. */
function route(rig: CallRig, o: CallRigOptions, req: SipRequest, txn: ServerInviteTransaction): void {
  const { control, admission } = rig;
  admission.tryAdmit();
  let released = false;
  const onEnded = () => {
    if (released) return;
    released = true;
    rig.endedCalls++;
    admission.release();
  };
  control.onceCallEnded(req.callId, onEnded);
  const caller: Party = { number: req.from.uri.user ?? '' };
  const run = (what: Promise<unknown>) =>
    void what.catch((err: unknown) => {
      rig.errors.push(err);
      if (control.forgetCallEnded(req.callId)) onEnded();
    });
  const replaces = getHeader(req, 'Replaces');
  if (replaces !== undefined) {
    return run(
      replaceInvite(control, req, txn, caller, replaces).then((ok) => {
        if (!ok && control.forgetCallEnded(req.callId)) onEnded();
      }),
    );
  }
  const dialled = req.uri.user ?? '';
  switch (dialled) {
    case '*44':
      return run(dtmfTest(control, rig.speech, req, txn, caller, dialled, o.dtmfTestMaxDurationMs ?? 60_000));
    case '*45':
      return run(
        recordTest(control, rig.speech, req, txn, caller, dialled, o.recordTestMaxDurationMs ?? 30_000),
      );
    case '*46':
      return run(rig.rooms.join(req, txn, caller, dialled));
    default:
      return run(callExtension(control, req, txn, caller, dialled, control.deps.resolve(dialled)));
  }
}

/** The ext→ext rig of the bridge tests: 1001 calls 1002. */
export const bridgeRig = callRig;
export type BridgeRig = CallRig;
export type BridgeRigOptions = CallRigOptions;

/** Caller dials 1002, the callee rings and answers, the caller ACKs: a call that is up. */
export async function answeredCall(rig: CallRig, from = rig.caller, to = rig.callee) {
  const call = from.invite(to.user);
  await rig.net.settle();
  const incoming = to.lastIncoming();
  incoming.ring();
  await rig.net.settle();
  incoming.answer();
  await rig.net.settle();
  if (!call.dialog || !incoming.dialog) throw new Error(`the call did not come up:\n${rig.net.trace()}`);
  return { call, incoming, callerDialog: call.dialog, calleeDialog: incoming.dialog };
}
