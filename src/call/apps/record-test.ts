import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { CallControl } from '../control/control.js';
import type { Speech } from '../control/speech.js';
import type { Party } from '../control/types.js';

const INTRO = {
  'zh-CN': '这是录音测试。请在提示音后说话，按井号键结束，您的录音将被回放。',
  en: 'This is the recording test. Speak after the tone and press the pound key when you are done. Your recording will be played back.',
} as const;

/**
 * The recording test (`*45` by default): the caller speaks for up to `maxRecordMs` (or until
 * `#`), hears it played back, and the call ends. The file and its row stay, like any
 * recording, so an operator can check the whole recording path end to end.
 */
export async function recordTest(
  control: CallControl,
  speech: Speech,
  invite: SipRequest,
  txn: ServerInviteTransaction,
  caller: Party,
  dialled: string,
  maxRecordMs: number,
): Promise<void> {
  const call = control.createCall(caller, dialled);
  const leg = await control.acceptInbound(call, invite, txn, caller);
  if (!leg) return;
  leg.answer();
  control.markAnswered(call);
  await leg.play(await speech.say(INTRO));
  if (leg.isEnded) return;
  await leg.play([{ tone: 'callWaiting', durationMs: 300 }]);
  const recId = await control.startRecording(call, leg, null);
  if (!recId) return leg.hangup(200, 'recording failed');
  leg.clearDigits();
  const clock = control.ctx.clock;
  const deadline = clock.now() + maxRecordMs;
  for (;;) {
    const left = deadline - clock.now();
    if (left <= 0 || leg.isEnded) break;
    const digit = await leg.nextDigit(left);
    if (digit === null || digit === '#') break;
  }
  const stopped = await control.stopRecording(recId);
  if (leg.isEnded) return;
  if (stopped) {
    call.setData('recordingId', stopped.id);
    await leg.play([{ file: stopped.file.path }]);
  }
  if (!leg.isEnded) await leg.play(await speech.prompt('goodbye'));
  leg.hangup(200);
}
