/** A whole bridged call for the call-layer tests: Hotline, fake media and CDRs, and phones. */
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { Admission } from '../admission.js';
import { BridgeCall } from '../bridge-call.js';
import { FakeMedia, MemoryCdrs } from './fakes.js';
import { MEDIA_ADDRESS, Network, Pbx } from './network.js';
import { Phone } from './phone.js';

export interface BridgeRigOptions {
  /** Registered contacts of the callee, rung in parallel; default 1. */
  readonly contacts?: number;
  readonly noAnswerTimeoutMs?: number;
}

/** Hotline bridging caller 1001 to callee 1002 (one phone per contact), on fake media. */
export function bridgeRig(o: BridgeRigOptions = {}) {
  const net = new Network();
  const pbx = new Pbx(net);
  const media = new FakeMedia();
  const cdrs = new MemoryCdrs();
  const admission = new Admission({ maxCalls: 10, maxCallsPerSecond: 10 }, net.clock);
  const caller = new Phone(net, { user: '1001', address: '192.0.2.10' });
  const callees = Array.from(
    { length: o.contacts ?? 1 },
    (_, i) =>
      new Phone(net, {
        user: '1002',
        name: i === 0 ? '1002' : `1002#${i + 1}`,
        address: `192.0.2.${20 + i}`,
      }),
  );
  const rig = { net, pbx, media, cdrs, admission, caller, callee: callees[0]!, callees, endedCalls: 0 };
  pbx.handle((req, txn) => {
    if (req.method !== 'INVITE') return pbx.ua.respond(txn, 405);
    admission.tryAdmit();
    const deps = {
      ctx: pbx.ctx,
      media,
      mediaAddress: MEDIA_ADDRESS,
      cdrs,
      noAnswerTimeoutMs: o.noAnswerTimeoutMs ?? 30_000,
      onEnded: () => {
        rig.endedCalls++;
        admission.release();
      },
    };
    const contacts = callees.map((c) => c.callee);
    const call = new BridgeCall(deps, {
      invite: req,
      txn: txn as ServerInviteTransaction,
      caller: { number: '1001' },
      callee: '1002',
      contacts,
    });
    void call.start();
  });
  return rig;
}

export type BridgeRig = ReturnType<typeof bridgeRig>;

/** Caller dials 1002, the callee rings and answers, the caller ACKs: a call that is up. */
export async function answeredCall(rig: BridgeRig) {
  const call = rig.caller.invite('1002');
  await rig.net.settle();
  const incoming = rig.callee.lastIncoming();
  incoming.ring();
  await rig.net.settle();
  incoming.answer();
  await rig.net.settle();
  if (!call.dialog || !incoming.dialog) throw new Error(`the call did not come up:\n${rig.net.trace()}`);
  return { call, incoming, callerDialog: call.dialog, calleeDialog: incoming.dialog };
}
