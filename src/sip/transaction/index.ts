/** The transaction layer (RFC 3261 §17, RFC 6026): the only import surface of this folder. */
export { TransactionLayer } from './layer.js';
export {
  Ack2xxRetransmitter,
  ack2xxTransition,
  type Ack2xxEvent,
  type Ack2xxOptions,
  type Ack2xxState,
} from './ack-2xx.js';
export { responseDestination } from './response-destination.js';
export { buildAckForFailure, buildCancel, buildTrying } from './build.js';
export { clientKey, serverKey, serverKeyPrefix, MAGIC_COOKIE } from './keys.js';
export { DEFAULT_TIMERS, TIMER_D_MS, TRYING_DELAY_MS } from './timers.js';
export { TransactionError, type TransactionErrorCode } from './errors.js';
export { clientInviteTransition, type ClientInviteEvent, type ClientInviteEffect } from './client-invite.js';
export {
  clientNonInviteTransition,
  type ClientNonInviteEvent,
  type ClientNonInviteEffect,
} from './client-non-invite.js';
export { serverInviteTransition, type ServerInviteEvent, type ServerInviteEffect } from './server-invite.js';
export {
  serverNonInviteTransition,
  type ServerNonInviteEvent,
  type ServerNonInviteEffect,
} from './server-non-invite.js';
export type * from './types.js';
