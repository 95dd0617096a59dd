import { access, mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PlayItem, RecordingResult } from '../../media/index.js';
import type { Logger } from '../../platform/log.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import type { Call } from '../control/call.js';
import { InboundCallLeg } from '../control/inbound.js';
import type { Leg } from '../control/leg.js';
import type { Party } from '../control/types.js';
import { ensureBeep } from './voicemail-beep.js';
import { listenToMailbox, type ListenWhich } from './voicemail-listen.js';
import { unavailableGreeting, VM_TEXT } from './voicemail-text.js';
import type { VoicemailBox, VoicemailDeps } from './voicemail-types.js';

export type { VoicemailBox, VoicemailDeps } from './voicemail-types.js';
export type { ListenWhich } from './voicemail-listen.js';

/** `20231114T221320Z`: sorts by time, and is safe in a file name on every system. */
export function fileStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Where a message is written: `<dir>/<mailbox>/<timestamp>-<callId>.wav`. */
export function messagePath(dir: string, mailbox: string, receivedAt: number, callId: string): string {
  return join(dir, mailbox, `${fileStamp(receivedAt)}-${callId}.wav`);
}

/**
 * Voicemail over call control. A caller leaves a message: the mailbox's greeting, a beep,
 * then the caller alone is recorded (mono) until `#`, hang-up or the time limit, into
 * `<dir>/<mailbox>/…wav`, and the message's row is stored with the file's size and SHA-256.
 * Its owner listens with a PIN (voicemail-listen.ts). Every change is reported through
 * `onMailboxChanged`, which drives the phones' message-waiting lamps.
 */
export class Voicemail {
  private beep: Promise<string> | undefined;
  private seq = 0;

  constructor(readonly deps: VoicemailDeps) {}

  hasMailbox(mailbox: string): boolean {
    return this.deps.box(mailbox) !== undefined;
  }

  /** A new INVITE for `mailbox` (`*96…`, or a voicemail destination): the caller leaves a message. */
  async deposit(
    invite: SipRequest,
    txn: ServerInviteTransaction,
    caller: Party,
    dialled: string,
    mailbox: string,
  ): Promise<void> {
    const { control } = this.deps;
    const call = control.createCall(caller, dialled);
    const leg = await control.acceptInbound(call, invite, txn, caller);
    if (!leg) return;
    await this.leaveMessage(call, leg, mailbox);
  }

  /**
   * The party on `leg` leaves a message in `mailbox`, then the leg is hung up. A caller's leg
   * not answered yet (an extension that did not answer) is answered here; a leg of ours that
   * is not up cannot be, and is refused. An unknown mailbox refuses the leg with 404.
   */
  async leaveMessage(call: Call, leg: Leg, mailbox: string): Promise<void> {
    const box = this.deps.box(mailbox);
    const log = this.deps.logger.child({ callId: call.id, mailbox });
    if (!box) {
      log.warn('no such mailbox');
      return leg.hangup(404, 'no such mailbox');
    }
    if (!leg.isUp) {
      if (!(leg instanceof InboundCallLeg)) return leg.hangup(480, 'voicemail needs the caller answered');
      leg.answer();
      this.deps.control.markAnswered(call);
    }
    call.setData('voicemailBox', mailbox);
    // Any key skips the greeting to the beep, as callers who know the box expect.
    await leg.play(await this.greeting(box, log), { interruptOnDtmf: true });
    if (leg.isEnded) return;
    await leg.play([{ file: await this.beepFile() }]);
    if (leg.isEnded) return;
    const recorded = await this.record(call, leg, mailbox, log);
    const kept = recorded ? await this.keep(call, mailbox, recorded, log) : false;
    if (leg.isEnded) return;
    if (kept) await leg.play(await this.deps.speech.say(VM_TEXT.saved));
    else await leg.play(await this.deps.speech.say(VM_TEXT.goodbye));
    leg.hangup(200);
  }

  /** `*97` (own box) or `*98` (any box, asked for): the owner hears and manages the messages. */
  async listen(
    invite: SipRequest,
    txn: ServerInviteTransaction,
    caller: Party,
    dialled: string,
    which: ListenWhich,
  ): Promise<void> {
    const { control } = this.deps;
    const call = control.createCall(caller, dialled);
    const leg = await control.acceptInbound(call, invite, txn, caller);
    if (!leg) return;
    leg.answer();
    control.markAnswered(call);
    await listenToMailbox(this.deps, call, leg, which);
  }

  private async greeting(box: VoicemailBox, log: Logger): Promise<PlayItem[]> {
    if (box.greeting !== undefined) {
      try {
        await access(box.greeting);
        return [{ file: box.greeting }];
      } catch (err) {
        log.warn({ err, greeting: box.greeting }, 'greeting file cannot be read; speaking the greeting');
      }
    }
    return this.deps.speech.say(unavailableGreeting(box.mailbox));
  }

  private beepFile(): Promise<string> {
    this.beep ??= ensureBeep(this.deps.dir).catch((err: unknown) => {
      this.beep = undefined; // try again on the next message
      throw err;
    });
    return this.beep;
  }

  /** Records the caller alone until `#`, hang-up or the limit; null when recording failed. */
  private async record(call: Call, leg: Leg, mailbox: string, log: Logger): Promise<RecordingResult | null> {
    const { control, maxMessageMs } = this.deps;
    const media = control.deps.media;
    const clock = control.ctx.clock;
    const path = messagePath(this.deps.dir, mailbox, clock.now(), call.id);
    const recId = `vm-${call.id}-${++this.seq}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await media.startRecording({ recId, path, left: leg.endpoint.id, right: null });
    } catch (err) {
      log.error({ err, path }, 'voicemail recording did not start');
      return null;
    }
    leg.clearDigits();
    const deadline = clock.now() + maxMessageMs;
    for (;;) {
      const left = deadline - clock.now();
      if (left <= 0 || leg.isEnded) break;
      const digit = await leg.nextDigit(left);
      if (digit === null || digit === '#') break;
    }
    try {
      // After a hang-up the engine has already closed the file; this reports it all the same.
      return await media.stopRecording(recId);
    } catch (err) {
      log.error({ err, path }, 'voicemail recording could not be finished');
      return null;
    }
  }

  /** Stores the message (or drops one too short to be meant); true when it was kept. */
  private async keep(call: Call, mailbox: string, r: RecordingResult, log: Logger): Promise<boolean> {
    if (r.durationMs < this.deps.minMessageMs) {
      log.info({ durationMs: r.durationMs }, 'message too short; discarded');
      await unlink(r.path).catch((err: unknown) =>
        log.warn({ err, path: r.path }, 'short message not removed'),
      );
      return false;
    }
    try {
      const id = await this.deps.store.insert({
        mailbox,
        callId: call.id,
        caller: call.caller.number,
        ...(call.caller.name ? { callerName: call.caller.name } : {}),
        receivedAt: r.startedAt,
        durationMs: r.durationMs,
        path: r.path,
        bytes: r.bytes,
        sha256: r.sha256,
      });
      call.setData('voicemailId', id);
      log.info({ id, durationMs: r.durationMs, path: r.path }, 'voicemail message left');
    } catch (err) {
      log.error({ err, path: r.path }, 'voicemail message could not be stored; its file is kept');
      return false;
    }
    this.deps.onMailboxChanged?.(mailbox);
    return true;
  }
}
