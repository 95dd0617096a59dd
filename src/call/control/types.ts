import type { LegRole } from '../../report/cdr-leg.js';
import type { MediaControl, MediaRelay } from '../../media/index.js';
import type { LocalMedia } from '../../media/index.js';
import type { Endpoint, SipUri } from '../../sip/message/types.js';

/** Everything call control asks of the media engine (MediaRelay fits). */
export type MediaEngine = Pick<
  MediaRelay,
  'createEndpoint' | 'setRemote' | 'connect' | 'disconnect' | 'echo' | 'close' | 'stats'
> &
  MediaControl;

/** A person or system at the end of a leg, as CDRs and screen pops name them. */
export interface Party {
  readonly number: string;
  readonly name?: string;
}

/** One registered contact of a callee (a phone), or a gateway. */
export interface Contact {
  readonly requestUri: SipUri;
  readonly dest: Endpoint;
}

/** Who ended a leg, and with which SIP status (200 for a normal BYE). */
export interface LegEnd {
  readonly by: 'remote' | 'local' | 'system';
  readonly status: number;
  readonly reason?: string;
}

/** Values of a call's associated data (随路数据), which travel with it across legs. */
export type CallDataValue = string | number | boolean;

/** How to dial a number as a new leg (an extension, or a number outside through the routes). */
export interface DialOptions {
  readonly caller: Party;
  readonly ringTimeoutMs: number;
  /** Aborting hangs up the try in progress. */
  readonly signal: AbortSignal;
  /** What the leg is in the call, for its leg record; default derived. */
  readonly role?: LegRole;
}

/** How the engine's media is offered to phones (from the `media` configuration). */
export type MediaOffer = Omit<LocalMedia, 'address' | 'port' | 'rtcpPort'>;

export interface MediaAddress {
  readonly bindAddress: string;
  readonly advertisedAddress: string;
}
