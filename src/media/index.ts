/**
 * The media module's public surface. media/ knows nothing of SIP: the call layer reads
 * SDP with these helpers and anchors each leg on a relay endpoint.
 */
export { MediaError, isMediaErrorCode, type MediaErrorCode } from './errors.js';

export { parseSdp, MAX_SDP_LENGTH } from './sdp/parse.js';
export { formatSdp } from './sdp/format.js';
export { audioOf, rewriteAudio } from './sdp/audio.js';
export { codecsOf, directionOf } from './sdp/attributes.js';
export type {
  Attribute,
  AudioStream,
  Bandwidth,
  Codec,
  Connection,
  Direction,
  MediaDescription,
  Origin,
  ParseSdpResult,
  RewriteAudioOptions,
  SessionDescription,
  Timing,
} from './sdp/types.js';

export { MediaRelay } from './relay/relay.js';
export { PortAllocator } from './relay/port-allocator.js';
export type {
  CreateEndpointOptions,
  EndpointId,
  EndpointInfo,
  EndpointMode,
  EndpointStats,
  RelayOptions,
  RemoteAddress,
  WorkerFailure,
} from './relay/types.js';
export { LocalSession, answerOffer, createOffer, acceptAnswer } from './sdp/negotiate.js';
export type {
  AcceptResult,
  AnswerResult,
  LocalMedia,
  LocalSessionOptions,
  NegotiateOptions,
  RemoteMedia,
} from './sdp/negotiate.js';
export type {
  DtmfSource,
  JoinOptions,
  MediaControl,
  MediaDirection,
  MediaEvent,
  MediaEventListener,
  MixerId,
  PlayItem,
  PlayOptions,
  RecordingOptions,
  RecordingResult,
  StreamFormat,
  StreamQuality,
} from './relay/control.js';
export type { EngineLoad } from './engine/engine.js';
