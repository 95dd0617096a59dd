import { audioOf, codecsOf, type Direction, type SessionDescription } from '../media/index.js';
import type { EndpointInfo } from '../media/index.js';

const ANSWER_DIRECTION: Record<Direction, Direction> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/**
 * The SDP answer (RFC 3264 §6) of an endpoint that sends back what it receives: the echo
 * test can accept whatever audio codec the caller offers first, since it never decodes it.
 * telephone-event is accepted too. Every other stream is declined with port 0.
 */
export function echoAnswer(
  offer: SessionDescription,
  endpoint: EndpointInfo,
  sessionId: string,
  version = 1,
): Buffer {
  const audio = audioOf(offer);
  const addrType = endpoint.address.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=hotline ${sessionId} ${version} IN ${addrType} ${endpoint.address}`,
    's=Hotline',
    `c=IN ${addrType} ${endpoint.address}`,
    't=0 0',
  ];
  offer.media.forEach((m, index) => {
    if (!audio || index !== audio.index) {
      lines.push(`m=${m.kind} 0 ${m.proto} ${m.formats[0] ?? '0'}`);
      return;
    }
    const codecs = codecsOf(m);
    const voice = codecs.find((c) => c.name?.toLowerCase() !== 'telephone-event');
    const events = codecs.find((c) => c.name?.toLowerCase() === 'telephone-event');
    const chosen = [voice, events].filter((c) => c !== undefined);
    lines.push(`m=audio ${endpoint.port} ${m.proto} ${chosen.map((c) => c.payloadType).join(' ')}`);
    for (const c of chosen) {
      if (c.name)
        lines.push(
          `a=rtpmap:${c.payloadType} ${c.name}/${c.clockRate ?? 8000}${c.channels && c.channels > 1 ? `/${c.channels}` : ''}`,
        );
      if (c.fmtp) lines.push(`a=fmtp:${c.payloadType} ${c.fmtp}`);
    }
    if (audio.ptime) lines.push(`a=ptime:${audio.ptime}`);
    lines.push(`a=${ANSWER_DIRECTION[audio.direction]}`);
  });
  return Buffer.from(lines.join('\r\n') + '\r\n');
}
