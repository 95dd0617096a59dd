export { Admission, type AdmissionLimits, type AdmissionVerdict } from './admission.js';
export { BridgeCall, type BridgeDeps, type BridgeRequest, type CalleeContact } from './bridge-call.js';
export { EchoCall, type EchoDeps } from './echo-call.js';
export type { SipContext } from './context.js';
export type { MediaAddress, MediaPort } from './media-anchor.js';
export { trySend, type FinalOutcome } from './in-dialog.js';
