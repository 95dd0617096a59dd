import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { CallControl } from '../control/control.js';
import type { Contact, Party } from '../control/types.js';

/**
 * A call from one extension to another: the caller's leg, one outbound leg ringing every
 * registered contact of the callee, ring and early media passed back, and a bridge (recorded
 * when recording is on) once the callee answers. A failure reaches the caller as the same
 * SIP status (486 busy, 480 no answer …).
 */
export async function callExtension(
  control: CallControl,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  caller: Party,
  callee: string,
  contacts: readonly Contact[],
): Promise<void> {
  const call = control.createCall(caller, callee);
  const a = await control.acceptInbound(call, invite, txn, caller);
  if (!a) return;
  let b;
  try {
    b = await control.originate(call, callee, { contacts });
  } catch (err) {
    control.log.error({ err, callId: call.id }, 'no media for the callee');
    a.reject(503, 'Service Unavailable');
    return;
  }
  if (a.isEnded) return b.hangup(487);
  a.once('ended', () => {
    if (!b.isUp) b.hangup(487);
  });
  b.on('ringing', () => a.ring());
  b.on('early', () => {
    a.earlyMedia();
    void control.bridge(a, b, { record: false });
  });
  b.once('ended', (end) => {
    if (!a.isUp) a.reject(end.status >= 300 ? end.status : 480);
  });
  if (!(await control.answered(b))) return;
  if (a.isEnded) return b.hangup(200);
  if (control.partnerOf(a) === b) await control.recordBridge(a);
  else await control.bridge(a, b);
  a.answer();
  control.log.info({ callId: call.id, caller: caller.number, callee }, 'call answered');
}
