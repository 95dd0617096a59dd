/**
 * Voicemail on the call-layer test kit: the call rig, an in-memory voicemail store, and a
 * router for the voicemail codes (`*96<box>` leaves a message, `*97` and `*98` listen).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  MessageCounts,
  StoredVoicemailMessage,
  VoicemailMessage,
  VoicemailStore,
} from '../../report/voicemail.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { Voicemail, type VoicemailBox } from '../apps/voicemail.js';
import { callRig } from './rig.js';

export class MemoryVoicemail implements VoicemailStore {
  readonly rows: StoredVoicemailMessage[] = [];

  async insert(m: VoicemailMessage): Promise<number> {
    const id = this.rows.length + 1;
    this.rows.push({ ...m, id, heard: false, sha256: m.sha256.toLowerCase() });
    return id;
  }
  async listMailbox(mailbox: string): Promise<StoredVoicemailMessage[]> {
    return this.rows
      .filter((m) => m.mailbox === mailbox && m.deletedAt === undefined)
      .sort((a, b) => Number(a.heard) - Number(b.heard) || a.receivedAt - b.receivedAt || a.id - b.id);
  }
  async get(id: number): Promise<StoredVoicemailMessage | undefined> {
    return this.rows.find((m) => m.id === id);
  }
  async markHeard(id: number, heard = true): Promise<boolean> {
    return this.update(id, { heard });
  }
  async markDeleted(id: number, at: number): Promise<boolean> {
    return this.update(id, { deletedAt: at });
  }
  async counts(mailbox: string): Promise<MessageCounts> {
    const live = await this.listMailbox(mailbox);
    const newCount = live.filter((m) => !m.heard).length;
    return { newCount, oldCount: live.length - newCount };
  }

  private update(id: number, change: Partial<StoredVoicemailMessage>): boolean {
    const at = this.rows.findIndex((m) => m.id === id && m.deletedAt === undefined);
    if (at < 0) return false;
    this.rows[at] = { ...this.rows[at]!, ...change };
    return true;
  }
}

export interface VoicemailRigOptions {
  /** Boxes beyond the defaults: every phone's own number has a box without a PIN. */
  readonly boxes?: readonly VoicemailBox[];
  readonly maxMessageMs?: number;
  readonly minMessageMs?: number;
}

/** The call rig with voicemail: 1001 calls `*961002` to leave 1002 a message, 1002 dials `*97`. */
export function voicemailRig(o: VoicemailRigOptions = {}) {
  const rig = callRig({ autoFinishPlays: true });
  const store = new MemoryVoicemail();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-vm-'));
  const changed: string[] = [];
  const boxes = new Map((o.boxes ?? []).map((b) => [b.mailbox, b]));
  const vm = new Voicemail({
    control: rig.control,
    speech: rig.speech,
    store,
    dir,
    box: (mailbox) => boxes.get(mailbox) ?? (['1001', '1002'].includes(mailbox) ? { mailbox } : undefined),
    maxMessageMs: o.maxMessageMs ?? 120_000,
    minMessageMs: o.minMessageMs ?? 1_000,
    onMailboxChanged: (mailbox) => changed.push(mailbox),
    timeZone: 'Asia/Shanghai',
    logger: rig.pbx.ctx.logger,
  });
  rig.pbx.handle((req, txn) => {
    if (req.method !== 'INVITE') return rig.pbx.ua.respond(txn, 405);
    const dialled = req.uri.user ?? '';
    const caller = { number: req.from.uri.user ?? '' };
    const invite = txn as ServerInviteTransaction;
    const run =
      dialled === '*97' || dialled === '*98'
        ? vm.listen(req, invite, caller, dialled, dialled === '*97' ? 'own' : 'other')
        : vm.deposit(req, invite, caller, dialled, dialled.slice(3));
    run.catch((err: unknown) => rig.errors.push(err));
  });
  /** Everything played to `ep` so far, one JSON text per playback. */
  const played = (ep: string) => rig.media.playsOn(ep).map((p) => JSON.stringify(p.items));
  return {
    ...rig,
    vm,
    store,
    dir,
    changed,
    played,
    /** Waits until the latest playback on `ep` matches. */
    playing: (ep: string, match: RegExp) =>
      rig.until(() => match.test(played(ep).at(-1) ?? ''), `a playback matching ${match}`),
  };
}

export type VoicemailRig = ReturnType<typeof voicemailRig>;
