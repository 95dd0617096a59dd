import { createHash } from 'node:crypto';
import type { ParseResult } from '../message/index.js';
import type { CSeq, SipResponse } from '../message/types.js';

/**
 * RFC 3261 §8.2: a request we cannot process still deserves a 400 when there is someone to
 * answer, i.e. when its Via, From, To, Call-ID and CSeq could be read. Responses and
 * requests too broken to address are dropped.
 */
export function badRequestFor(result: ParseResult, userAgent: string): SipResponse | undefined {
  if (result.ok) return undefined;
  const p = result.partial;
  if (!p || !p.isRequest || !p.vias?.length || !p.from || !p.to || !p.callId || !p.cseq) return undefined;
  if (p.cseq.method === 'ACK') return undefined; // never answer an ACK (§17.2.3)
  return {
    kind: 'response',
    status: 400,
    reason: sanitizeReason(result.reason),
    vias: p.vias,
    from: p.from,
    to: p.to.params.tag
      ? p.to
      : {
          ...p.to,
          params: {
            ...p.to.params,
            tag: statelessTag(p.callId, p.from.params.tag, p.vias[0]?.params.branch, p.cseq),
          },
        },
    callId: p.callId,
    cseq: p.cseq,
    contacts: [],
    routes: [],
    recordRoutes: [],
    headers: [{ name: 'Server', value: userAgent }],
    body: Buffer.alloc(0),
  };
}

/**
 * RFC 3261 §8.2.6.2 and §8.2.7: a final answer carries a To tag even from a stateless
 * UAS, which must derive it from the request so that every retransmission of it gets the
 * same tag. A digest of what identifies the request does that without keeping state.
 */
function statelessTag(
  callId: string,
  fromTag: string | null | undefined,
  branch: string | null | undefined,
  cseq: CSeq,
): string {
  const identity = [callId, fromTag ?? '', branch ?? '', cseq.seq, cseq.method].join('\n');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

function sanitizeReason(reason: string): string {
  // A reason phrase may not contain CR/LF; keep it short and printable.
  const clean = reason
    .replace(/[^\x20-\x7e]/g, ' ')
    .trim()
    .slice(0, 100);
  return clean.length > 0 ? clean : 'Bad Request';
}
