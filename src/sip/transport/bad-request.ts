import type { ParseResult } from '../message/index.js';
import type { SipResponse } from '../message/types.js';

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
    to: p.to,
    callId: p.callId,
    cseq: p.cseq,
    contacts: [],
    routes: [],
    recordRoutes: [],
    headers: [{ name: 'Server', value: userAgent }],
    body: Buffer.alloc(0),
  };
}

function sanitizeReason(reason: string): string {
  // A reason phrase may not contain CR/LF; keep it short and printable.
  const clean = reason
    .replace(/[^\x20-\x7e]/g, ' ')
    .trim()
    .slice(0, 100);
  return clean.length > 0 ? clean : 'Bad Request';
}
