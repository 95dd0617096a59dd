import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { CallControl } from '../control/control.js';
import type { Speech } from '../control/speech.js';
import type { Party } from '../control/types.js';

const INTRO = {
  'zh-CN': '这是按键测试。请按电话上的任意键，系统会读出您按的键。',
  en: 'This is the key test. Press any key on your phone and you will hear which key it was.',
} as const;

/**
 * The DTMF test (`*44` by default): a spoken introduction, then every key pressed is read
 * back. The digits go into the call's data (`digits`) and so into its CDR; each one is also
 * logged with its source (RFC 4733, SIP INFO or in-band). Ends when the caller hangs up or
 * after `maxDurationMs`.
 */
export async function dtmfTest(
  control: CallControl,
  speech: Speech,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  caller: Party,
  dialled: string,
  maxDurationMs: number,
): Promise<void> {
  const call = control.createCall(caller, dialled);
  const leg = await control.acceptInbound(call, invite, txn, caller);
  if (!leg) return;
  leg.answer();
  control.markAnswered(call);
  const clock = control.ctx.clock;
  const deadline = clock.now() + maxDurationMs;
  const limit = clock.setTimer(maxDurationMs, () => leg.hangup(200, 'test time limit'));
  leg.once('ended', () => limit.cancel());
  let digits = '';
  await leg.play(await speech.say(INTRO));
  while (!leg.isEnded) {
    const digit = await leg.nextDigit(Math.max(1, deadline - clock.now()));
    if (digit === null) break;
    digits += digit;
    call.setData('digits', digits);
    await leg.play(await speech.prompt('digit', { key: digit as never }));
  }
}
