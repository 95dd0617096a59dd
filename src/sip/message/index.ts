/** The SIP message layer: model, parser, serializer, stream framer and constructors. */
export type {
  CSeq,
  Endpoint,
  Header,
  NameAddr,
  Params,
  ParseLimits,
  SipMessage,
  SipRequest,
  SipResponse,
  SipUri,
  TransportName,
  Via,
} from './types.js';
export { DEFAULT_PARSE_LIMITS } from './types.js';
export type { Parsed } from './syntax.js';
export { parseUri, formatUri, parseNameAddr, formatNameAddr } from './uri.js';
export {
  canonicalName,
  headerKey,
  isListHeader,
  splitHeaderValue,
  splitList,
  parseParams,
  formatParams,
  quote,
  unquote,
  parseVia,
  formatVia,
  parseCSeq,
  getHeader,
  getHeaders,
} from './headers.js';
export { parseMessage } from './parse.js';
export type { ParseResult, PartialMessage } from './parse.js';
export { serializeMessage, serializeHead } from './serialize.js';
export { StreamFramer, DEFAULT_FRAMER_LIMITS } from './framer.js';
export type { FramerOutput, FramerLimits } from './framer.js';
export { createResponse, reasonPhrase, newBranch, newTag, newCallId } from './build.js';
export type { ResponseExtras } from './build.js';
export {
  parseReferTo,
  parseReplaces,
  formatReplaces,
  referToWithReplaces,
  sipfrag,
  parseSipfragStatus,
  referSubscriptionState,
  wantsNoReferSubscription,
  SIPFRAG_CONTENT_TYPE,
} from './refer.js';
export type { ReferTo, ReplacesTarget } from './refer.js';
