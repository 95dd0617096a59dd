/**
 * The owner's side of voicemail: log in (the mailbox, when asked for, and the PIN, three
 * tries), hear how many messages wait, then each message — new ones first, oldest first —
 * with when it came and from whom. During or after a message: 7 deletes it, 9 saves it,
 * # goes to the next, * plays it again. A message played to its end counts as heard.
 *
 *   answer ─► login ──(3 failures)──► goodbye
 *               │
 *               ▼
 *           summary ─► message 1 ─► menu ─┬─ 7 delete ─┐
 *                        ▲                ├─ 9 save ───┤
 *                        └────── * ───────┤            ▼
 *                                         └─ # / none ─► next message … ─► "no more" ─► hang up
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PlayItem } from '../../media/index.js';
import type { Logger } from '../../platform/log.js';
import type { StoredVoicemailMessage } from '../../report/voicemail.js';
import type { Call } from '../control/call.js';
import type { Leg } from '../control/leg.js';
import { messageHeader, messageSummary, VM_TEXT } from './voicemail-text.js';
import type { VoicemailDeps } from './voicemail-types.js';

/** `own`: the caller's own box (`*97`); `other`: a box the caller names (`*98`). */
export type ListenWhich = 'own' | 'other';

export const LOGIN_TRIES = 3;
/** How often the menu after a message is offered before moving on. */
export const MENU_TRIES = 3;
const FIRST_DIGIT_MS = 7_000;
const NEXT_DIGIT_MS = 4_000;
const MENU_WAIT_MS = 5_000;
const MENU_KEYS = '79#*';

/** Equal PINs, compared in a time that does not depend on where they differ. */
export function samePin(entered: string, pin: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(entered), digest(pin));
}

/**
 * Plays `prompt` (a key stops it) and reads digits up to `#`, `max` digits or a pause.
 * Unlike Leg.collect, keys pressed before the prompt are kept: a caller typing ahead while a
 * prompt is still being synthesized is not ignored. null when the caller hung up.
 */
async function readDigits(leg: Leg, prompt: readonly PlayItem[], max: number): Promise<string | null> {
  await leg.play(prompt, { interruptOnDtmf: true });
  let digits = '';
  let timeout = FIRST_DIGIT_MS;
  for (;;) {
    if (leg.isEnded) return null;
    const d = await leg.nextDigit(timeout);
    if (d === null) return leg.isEnded ? null : digits;
    if (d === '#') return digits;
    digits += d;
    if (digits.length >= max) return digits;
    timeout = NEXT_DIGIT_MS;
  }
}

/** The mailbox the caller proved to own, or null (hung up, or three failures). */
async function login(deps: VoicemailDeps, call: Call, leg: Leg, which: ListenWhich, log: Logger) {
  const say = (s: (typeof VM_TEXT)[keyof typeof VM_TEXT]) => deps.speech.say(s);
  for (let attempt = 1; attempt <= LOGIN_TRIES; attempt++) {
    const mailbox =
      which === 'own' ? call.caller.number : await readDigits(leg, await say(VM_TEXT.enterMailbox), 32);
    if (mailbox === null) return null;
    const box = deps.box(mailbox);
    // The caller's own phone is authenticated by SIP digest already: a box without a PIN opens.
    if (which === 'own' && box !== undefined && box.pin === undefined) return mailbox;
    if (which === 'own' && box === undefined) return null;
    const pin = await readDigits(leg, await say(VM_TEXT.enterPin), 12);
    if (pin === null) return null;
    // An unknown box and a box without a PIN fail like a wrong PIN: boxes cannot be probed.
    if (box?.pin !== undefined && samePin(pin, box.pin)) return mailbox;
    log.warn({ mailbox, attempt }, 'voicemail login failed');
    await leg.play(await say(VM_TEXT.loginIncorrect));
    if (leg.isEnded) return null;
  }
  return null;
}

export async function listenToMailbox(
  deps: VoicemailDeps,
  call: Call,
  leg: Leg,
  which: ListenWhich,
): Promise<void> {
  const log = deps.logger.child({ callId: call.id, caller: call.caller.number });
  const mailbox = await login(deps, call, leg, which, log);
  if (leg.isEnded) return;
  if (mailbox === null) {
    await leg.play(await deps.speech.say(VM_TEXT.goodbye));
    return leg.hangup(200, 'voicemail login failed');
  }
  call.setData('voicemailBox', mailbox);
  const messages = await deps.store.listMailbox(mailbox);
  const fresh = messages.filter((m) => !m.heard).length;
  await leg.play(await deps.speech.say(messageSummary(fresh, messages.length - fresh)));
  const session = new Session(deps, leg, mailbox, log.child({ mailbox }));
  for (const [i, message] of messages.entries()) {
    if (leg.isEnded) return;
    await session.present(message, i + 1);
  }
  if (leg.isEnded) return;
  await leg.play(await deps.speech.say(messages.length > 0 ? VM_TEXT.noMore : VM_TEXT.goodbye));
  leg.hangup(200);
}

/** One owner going through a mailbox's messages. */
class Session {
  constructor(
    private readonly deps: VoicemailDeps,
    private readonly leg: Leg,
    private readonly mailbox: string,
    private readonly log: Logger,
  ) {}

  /** Plays one message and acts on the owner's keys until it is left for the next. */
  async present(m: StoredVoicemailMessage, index: number): Promise<void> {
    const { leg, deps } = this;
    const now = deps.control.ctx.clock.now();
    const header = await deps.speech.say(messageHeader(index, m.caller, m.receivedAt, now, deps.timeZone));
    let heard = m.heard;
    for (;;) {
      leg.clearDigits();
      const end = await leg.play([...header, { file: m.path }], { interruptOnDtmf: true });
      if (leg.isEnded) return;
      if (end === 'failed') this.log.error({ id: m.id, path: m.path }, 'voicemail message cannot be played');
      if (end === 'finished' && !heard) heard = await this.mark(m, 'heard');
      let key = end === 'interrupted' ? await leg.nextDigit(1_000) : null;
      if (key === null || !MENU_KEYS.includes(key)) key = await this.menu();
      if (key === '*') continue;
      if (key === '7') {
        await this.mark(m, 'deleted');
        await leg.play(await deps.speech.say(VM_TEXT.deleted));
      } else if (key === '9') {
        if (!heard) heard = await this.mark(m, 'heard');
        await leg.play(await deps.speech.say(VM_TEXT.kept));
      }
      return; // `#`, no key, or done with this one
    }
  }

  /** Offers the menu until a known key is pressed; null after MENU_TRIES without one. */
  private async menu(): Promise<string | null> {
    const { leg, deps } = this;
    for (let tries = 0; tries < MENU_TRIES && !leg.isEnded; tries++) {
      await leg.play(await deps.speech.say(VM_TEXT.menu), { interruptOnDtmf: true });
      const key = await leg.nextDigit(MENU_WAIT_MS);
      if (key === null) continue;
      if (MENU_KEYS.includes(key)) return key;
      await leg.play(await deps.speech.say(VM_TEXT.invalidKey));
      leg.clearDigits();
    }
    return null;
  }

  /** Marks the message and tells MWI; true when the message is now heard (or was deleted). */
  private async mark(m: StoredVoicemailMessage, as: 'heard' | 'deleted'): Promise<boolean> {
    const { store, control, onMailboxChanged } = this.deps;
    try {
      const changed =
        as === 'heard' ? await store.markHeard(m.id) : await store.markDeleted(m.id, control.ctx.clock.now());
      if (changed) onMailboxChanged?.(this.mailbox);
      this.log.info({ id: m.id, as }, `voicemail message ${as}`);
      return true;
    } catch (err) {
      this.log.error({ err, id: m.id, as }, 'voicemail message could not be marked');
      return false;
    }
  }
}
