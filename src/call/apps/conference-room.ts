import type { SipRequest } from '../../sip/message/types.js';
import type { ServerInviteTransaction } from '../../sip/transaction/index.js';
import { Conference } from '../control/conference.js';
import type { CallControl } from '../control/control.js';
import type { Party } from '../control/types.js';

/**
 * Conference rooms by number (`*46` by default is one demo room): every caller who dials the
 * room is answered and mixed with everyone already in it; the room closes when the last
 * one leaves.
 */
export class ConferenceRooms {
  private readonly rooms = new Map<string, Promise<Conference>>();

  constructor(private readonly control: CallControl) {}

  async join(invite: SipRequest, txn: ServerInviteTransaction, caller: Party, room: string): Promise<void> {
    const control = this.control;
    const call = control.createCall(caller, room);
    call.setData('conference', room);
    const leg = await control.acceptInbound(call, invite, txn, caller);
    if (!leg) return;
    leg.answer();
    control.markAnswered(call);
    let conference: Conference;
    try {
      conference = await this.open(room);
    } catch (err) {
      control.log.error({ err, callId: call.id, room }, 'conference could not be opened');
      leg.hangup(200, 'conference unavailable');
      return;
    }
    await conference.add(leg);
  }

  /**
   * The room's conference, opened by the first caller. Looked up and registered in one step,
   * so that callers arriving together share one mixer.
   */
  private async open(room: string): Promise<Conference> {
    const existing = this.rooms.get(room);
    if (existing) {
      const conference = await existing;
      if (!conference.isClosed) return conference;
      // It closed as this caller came: start the room again (once, whoever gets here first).
      if (this.rooms.get(room) === existing) this.rooms.delete(room);
      return this.open(room);
    }
    const forget = () => {
      if (this.rooms.get(room) === opening) this.rooms.delete(room);
    };
    const opening = Conference.open(this.control, forget);
    opening.catch(forget);
    this.rooms.set(room, opening);
    return await opening;
  }
}
