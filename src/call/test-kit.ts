/**
 * An in-memory SIP network for the call layer's tests (and the dialog, UA core and front
 * door tests): Hotline's TransactionLayer + UserAgentCore and scripted fake phones, each on
 * the same TransactionLayer class, exchange messages that are serialized and parsed again on
 * every hop, so the wire format is exercised. Time is a shared FakeClock; nothing is sent
 * until the test lets the network settle. Not exported from index.ts.
 *
 * The kit lives in ./testing/ (network, fake media and stores, phones and their dialogs, the
 * call rig); this file re-exports it so that the tests import from one place.
 */
export { DOMAIN, MEDIA_ADDRESS, Network, PBX_ENDPOINT, Pbx, SERVER_HEADER } from './testing/network.js';
export type { Wire } from './testing/network.js';
export {
  audio,
  FAKE_QUALITY,
  FakeMedia,
  MemoryCdrLegs,
  MemoryCdrs,
  MemoryRecordings,
  sdp,
} from './testing/fakes.js';
export type { Direction, MediaCall, MediaOp } from './testing/fakes.js';
export { Phone } from './testing/phone.js';
export type { PhoneOptions, RequestOverrides } from './testing/phone.js';
export { Exchange, IncomingCall, OutgoingCall } from './testing/exchange.js';
export { PhoneDialog } from './testing/phone-dialog.js';
export { answeredCall, bridgeRig, callRig, fakeTts, MUSIC_ON_HOLD, RECORDING_DIR } from './testing/rig.js';
export type { BridgeRig, BridgeRigOptions, CallRig, CallRigOptions } from './testing/rig.js';
