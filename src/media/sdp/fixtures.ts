/**
 * Realistic SDP bodies, written in the shapes that common peers send, for tests here and
 * in the call layer. Lines are joined with CRLF as on the wire.
 */

const crlf = (lines: readonly string[]): string => lines.join('\r\n') + '\r\n';

/** sipp's built-in UAC offer: session-level c=, one static codec. */
export const SIPP_UAC = crlf([
  'v=0',
  'o=user1 53655765 2353687637 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
]);

/** A baresip offer: G.711 plus RFC 4733 events, media-level c=, ptime and ssrc lines. */
export const BARESIP = crlf([
  'v=0',
  'o=- 1893257418 2038741236 IN IP4 192.168.1.20',
  's=-',
  't=0 0',
  'm=audio 10002 RTP/AVP 0 8 101',
  'c=IN IP4 192.168.1.20',
  'b=AS:64',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'a=label:1',
  'a=ssrc:3542681237 cname:1be2f03a-d1d4-4e87-9f3e-70c1c2b7a3c1',
  'a=rtcp-rsize',
  'a=ptime:20',
]);

/** A Linphone-like offer: many dynamic codecs, session attributes, an explicit a=rtcp. */
export const LINPHONE = crlf([
  'v=0',
  'o=agent1001 3228 1947 IN IP4 10.20.30.40',
  's=Talk',
  'c=IN IP4 10.20.30.40',
  't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'a=record:off',
  'm=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:97 speex/16000',
  'a=fmtp:97 vbr=on',
  'a=rtpmap:98 speex/8000',
  'a=fmtp:98 vbr=on',
  'a=fmtp:18 annexb=yes',
  'a=rtpmap:101 telephone-event/48000',
  'a=rtpmap:99 telephone-event/16000',
  'a=rtpmap:100 telephone-event/8000',
  'a=rtcp:7079',
  'a=rtcp-fb:* trr-int 1000',
  'a=rtcp-fb:* ccm tmmbr',
]);

/** A browser-like offer: ICE, DTLS, BUNDLE, rtcp-mux, 64-bit session id, c=0.0.0.0 port 9. */
export const WEBRTC = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 5f2e7c4e-stream',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 192.168.1.5 rport 61234 generation 0',
  'a=candidate:3442447574 1 udp 2122260223 192.168.1.5 61234 typ host generation 0 network-id 1',
  'a=ice-ufrag:Fx4q',
  'a=ice-pwd:k9Hq7Lr2Vb0dZp8sW1yT5uCe',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 3C:1A:5E:90:7B:22:41:C8:0D:EE:6F:13:88:A4:52:B9:07:DC:61:3F:9A:24:E5:70:CB:18:46:0F:B3:7D:E2:55',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=sendrecv',
  'a=msid:5f2e7c4e-stream 0c9b-track',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1001 cname:Yq3dPb0m',
]);

/** Audio and video sharing one session-level c=, audio on hold with the legacy 0.0.0.0. */
export const AUDIO_VIDEO_HOLD = crlf([
  'v=0',
  'o=bob 2890844526 2890844527 IN IP4 198.51.100.2',
  's=Call',
  'i=A call with video',
  'e=bob@example.com',
  'c=IN IP4 0.0.0.0',
  't=0 0',
  'a=sendonly',
  'm=audio 49170 RTP/AVP 8',
  'a=ptime:30',
  'a=maxptime:60',
  'm=video 51372 RTP/AVP 99',
  'b=TIAS:512000',
  'a=rtpmap:99 H264/90000',
]);

export const ALL_FIXTURES: Readonly<Record<string, string>> = {
  SIPP_UAC,
  BARESIP,
  LINPHONE,
  WEBRTC,
  AUDIO_VIDEO_HOLD,
};
