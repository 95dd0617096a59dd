export { Admission, type AdmissionLimits, type AdmissionVerdict } from './admission.js';
export { EchoCall, type EchoDeps } from './echo-call.js';
export type { SipContext } from './context.js';
export type { MediaAddress, MediaPort } from './media-anchor.js';
export { sendInDialog, trySend, type FinalOutcome } from './in-dialog.js';
export { CallControl, type CallControlDeps, type OriginateOptions } from './control/control.js';
export { Call } from './control/call.js';
export { Leg, type Collected, type CollectOptions, type PlayEnd } from './control/leg.js';
export { InboundCallLeg } from './control/inbound.js';
export { OutboundCallLeg } from './control/outbound.js';
export { Conference } from './control/conference.js';
export { Speech, type SpeechSource } from './control/speech.js';
export {
  blindTransfer,
  cancelConsult,
  completeTransfer,
  conferenceIn,
  consult,
  replaceInvite,
  type Consultation,
  type TransferResult,
} from './control/transfer.js';
export type { Contact, MediaEngine, MediaOffer, Party } from './control/types.js';
export { callExtension } from './apps/extension-call.js';
export { dtmfTest } from './apps/dtmf-test.js';
export { recordTest } from './apps/record-test.js';
export {
  Voicemail,
  messagePath,
  type ListenWhich,
  type VoicemailBox,
  type VoicemailDeps,
} from './apps/voicemail.js';
export { ConferenceRooms } from './apps/conference-room.js';
