/** RTP/RTCP building blocks: header codec, sequence arithmetic, statistics, RTCP, playout, MOS. */
export {
  RTP_FIXED_HEADER_LENGTH,
  createRtpHeader,
  looksLikeRtcp,
  parseRtp,
  readRtpHeader,
  rtpHeaderLength,
  serializeRtp,
  writeRtpPacket,
} from './header.js';
export type { ParseRtpResult, RtpHeader, RtpHeaderInit, RtpParseError } from './types.js';
export { SequenceUnwrapper, nextSeq, seqDelta, seqIsNewer, tsAdd, tsDelta, tsIsNewer } from './seq.js';
export { ReceiverStats, type ReceiverStatsSnapshot, type ReportBlock } from './receiver-stats.js';
export {
  NTP_UNIX_OFFSET_SECONDS,
  msToNtpShort,
  ntpFromUnixMs,
  ntpMiddle,
  ntpMiddleFromUnixMs,
  roundTripMs,
  type NtpTimestamp,
} from './ntp.js';
export { parseRtcp } from './rtcp-parse.js';
export { findCname, rtcpLength, sdesCname, serializeRtcp, writeRtcp } from './rtcp-build.js';
export {
  RTCP_APP,
  RTCP_BYE,
  RTCP_RR,
  RTCP_SDES,
  RTCP_SR,
  SDES_CNAME,
  type ParseRtcpResult,
  type RtcpBye,
  type RtcpOther,
  type RtcpPacket,
  type RtcpParseError,
  type RtcpReceiverReport,
  type RtcpSdes,
  type RtcpSenderReport,
  type SdesChunk,
  type SdesItem,
} from './rtcp-types.js';
export {
  JitterBuffer,
  type JitterBufferOptions,
  type JitterBufferStats,
  type JitterPullResult,
  type JitterPushResult,
} from './jitter-buffer.js';
export {
  G711_IMPAIRMENT,
  G711_PLC_IMPAIRMENT,
  delayImpairment,
  effectiveEquipmentImpairment,
  estimateMos,
  mosFromR,
  type CodecImpairment,
  type MosEstimate,
  type MosInput,
} from './emodel.js';
