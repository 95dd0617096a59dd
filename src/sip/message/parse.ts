/**
 * The SIP message parser (RFC 3261 §7, §18.3, §20, §25).
 *
 * Input is one whole message: a UDP datagram, a WebSocket frame, or what the
 * StreamFramer cut from a TCP/TLS stream. The header block is decoded as latin1, so
 * string offsets are byte offsets and every limit is checked in bytes; lines that hold
 * non-ASCII bytes are then re-decoded as UTF-8 (RFC 3261 §7.3.1 TEXT-UTF8).
 *
 * The parser never throws: every rule is checked and reported as a short reason fit for
 * a 400 reason phrase. When it fails it still returns what it could read of Via, From,
 * To, Call-ID and CSeq, so the transport can answer a broken request.
 */
import { canonicalName, headerKey } from './headers.js';
import { applyHeader, newDraft, type Draft } from './parse-headers.js';
import { isToken } from './syntax.js';
import type {
  CSeq,
  NameAddr,
  ParseLimits,
  SipMessage,
  SipRequest,
  SipResponse,
  SipUri,
  Via,
} from './types.js';
import { DEFAULT_PARSE_LIMITS } from './types.js';
import { parseUri } from './uri.js';

/** What could be read from a message that failed to parse (for answering it with 400). */
export interface PartialMessage {
  readonly isRequest: boolean;
  readonly vias?: readonly Via[];
  readonly callId?: string;
  readonly from?: NameAddr;
  readonly to?: NameAddr;
  readonly cseq?: CSeq;
}

export type ParseResult =
  | { readonly ok: true; readonly message: SipMessage }
  | { readonly ok: false; readonly reason: string; readonly partial?: PartialMessage };

type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: SipUri }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string }
  | { readonly kind: 'error'; readonly isRequest: boolean; readonly reason: string };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EMPTY_BODY = Buffer.alloc(0);
/** Anything but HT, CR, LF and printable ASCII: sends a header block to the slow checks. */
const UNUSUAL_CHAR = /[^\t\r\n\x20-\x7e]/;
const HIGH_CHAR = /[\x80-\xff]/;

export function parseMessage(buf: Buffer, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult {
  try {
    return parseChecked(buf, limits);
  } catch {
    // Last-resort guard: every rule is validated above, but a transport must never be
    // brought down by a message, so an unforeseen exception becomes a parse failure.
    return { ok: false, reason: 'Unparseable message' };
  }
}

function parseChecked(buf: Buffer, limits: ParseLimits): ParseResult {
  if (buf.length > limits.maxMessageBytes) return { ok: false, reason: 'Message too large' };
  const block = findHeaderBlock(buf);
  if (typeof block === 'string') return { ok: false, reason: block };
  const text = buf.toString('latin1', block.start, block.end);
  const lines = splitLines(text, limits);
  if (typeof lines === 'string') return { ok: false, reason: lines };
  const start = parseStartLine(lines[0] ?? '');
  const draft = newDraft(limits);
  const headerError = readHeaders(lines, draft, limits);
  const isRequest = start.kind === 'request' || (start.kind === 'error' && start.isRequest);
  const error =
    (start.kind === 'error' ? start.reason : undefined) ??
    headerError ??
    draft.error ??
    missingHeader(draft) ??
    (start.kind === 'request' && draft.cseq?.method !== start.method
      ? 'CSeq method does not match request method'
      : undefined);
  if (error !== undefined || start.kind === 'error') {
    return { ok: false, reason: error ?? 'Bad start line', partial: salvage(draft, isRequest) };
  }
  const body = readBody(buf, block.bodyStart, draft.contentLength);
  if (body === undefined) {
    return { ok: false, reason: 'Content-Length mismatch', partial: salvage(draft, isRequest) };
  }
  return { ok: true, message: assemble(start, draft, body) };
}

interface HeaderBlock {
  /** First byte of the start line (leading CRLFs skipped, RFC 3261 §7.5). */
  readonly start: number;
  /** End of the header block, just before the empty line. */
  readonly end: number;
  readonly bodyStart: number;
}

/** Finds the empty line that ends the headers; CRLF and bare LF are both accepted. */
function findHeaderBlock(buf: Buffer): HeaderBlock | string {
  let start = 0;
  while (start < buf.length && (buf[start] === 0x0a || (buf[start] === 0x0d && buf[start + 1] === 0x0a))) {
    start += buf[start] === 0x0d ? 2 : 1;
  }
  if (start === buf.length) return 'Empty message';
  let lineStart = start;
  for (;;) {
    const lf = buf.indexOf(0x0a, lineStart);
    if (lf < 0) return 'Incomplete header section';
    const contentEnd = lf > lineStart && buf[lf - 1] === 0x0d ? lf - 1 : lf;
    if (contentEnd === lineStart) return { start, end: lineStart, bodyStart: lf + 1 };
    lineStart = lf + 1;
  }
}

/**
 * Splits the header block into logical lines: CR stripped, folded continuation lines
 * (starting with SP or HT) joined with one SP (RFC 3261 §7.3.1), non-ASCII lines decoded
 * as UTF-8. Checks line lengths and forbidden characters.
 */
function splitLines(text: string, limits: ParseLimits): string[] | string {
  const unusual = UNUSUAL_CHAR.test(text);
  if (unusual && hasControlChar(text)) return 'Invalid character in header';
  const raw = text.split('\n');
  raw.pop(); // the block ends with the last header's line break
  const out: string[] = [];
  let lineEndCRs = 0;
  for (let line of raw) {
    if (line.charCodeAt(line.length - 1) === 0x0d) {
      line = line.slice(0, -1);
      lineEndCRs++;
    }
    if (line.length > limits.maxHeaderLineBytes) return 'Header line too long';
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (out.length < 2) return 'Bad header folding';
      const joined = `${out[out.length - 1] ?? ''} ${line.trim()}`;
      if (joined.length > limits.maxHeaderLineBytes) return 'Header line too long';
      out[out.length - 1] = joined;
    } else {
      out.push(line);
    }
  }
  // A CR anywhere but before LF is a stray control character (RFC 3261 §7.3.1).
  if (countCRs(text) !== lineEndCRs) return 'Invalid character in header';
  if (!unusual) return out;
  for (let i = 0; i < out.length; i++) {
    const line = out[i] ?? '';
    if (!HIGH_CHAR.test(line)) continue;
    const decoded = Buffer.from(line, 'latin1').toString('utf8');
    if (decoded.includes('\uFFFD')) return 'Invalid UTF-8 in header';
    out[i] = decoded;
  }
  return out;
}

/** Control characters other than HT, CR and LF are not allowed in a header (RFC 3261 §25.1). */
function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

function countCRs(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) n++;
  return n;
}

function parseStartLine(line: string): StartLine {
  if (line.slice(0, 4).toUpperCase() === 'SIP/') return parseStatusLine(line);
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly single spaces (§7.1).
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
    return { kind: 'error', isRequest: true, reason: 'Bad request line' };
  }
  const method = line.slice(0, sp1);
  if (!isToken(method)) return { kind: 'error', isRequest: true, reason: 'Bad request method' };
  const version = line.slice(sp2 + 1).toUpperCase();
  if (version !== 'SIP/2.0') {
    const reason = version.startsWith('SIP/') ? 'Unsupported SIP version' : 'Bad request line';
    return { kind: 'error', isRequest: true, reason };
  }
  const uri = parseUri(line.slice(sp1 + 1, sp2));
  if (!uri.ok) return { kind: 'error', isRequest: true, reason: `${uri.reason} in Request-URI` };
  return { kind: 'request', method, uri: uri.value };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2). */
function parseStatusLine(line: string): StartLine {
  const sp = line.indexOf(' ');
  const version = sp < 0 ? line : line.slice(0, sp);
  if (version.toUpperCase() !== 'SIP/2.0') {
    return { kind: 'error', isRequest: false, reason: 'Unsupported SIP version' };
  }
  const code = line.slice(sp + 1, sp + 4);
  const after = line.charCodeAt(sp + 4);
  let status = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    status = c >= 0x30 && c <= 0x39 ? status * 10 + c - 0x30 : NaN;
  }
  // A missing reason phrase after the code is tolerated; anything else glued on is not.
  if (sp < 0 || code.length !== 3 || !(status >= 100 && status <= 699) || !(after === 0x20 || isNaN(after))) {
    return { kind: 'error', isRequest: false, reason: 'Bad status line' };
  }
  return { kind: 'response', status, reason: line.slice(sp + 5) };
}

function readHeaders(lines: readonly string[], draft: Draft, limits: ParseLimits): string | undefined {
  if (lines.length - 1 > limits.maxHeaders) return 'Too many headers';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon < 0) return 'Bad header line';
    let nameEnd = colon;
    while (nameEnd > 0 && (line.charCodeAt(nameEnd - 1) === 0x20 || line.charCodeAt(nameEnd - 1) === 0x09)) {
      nameEnd--;
    }
    const name = line.slice(0, nameEnd);
    if (!isToken(name)) return 'Bad header name';
    const value = line.slice(colon + 1).trim();
    const key = headerKey(name);
    if (!applyHeader(draft, key, value)) draft.headers.push({ name: canonicalName(name), value });
    if (draft.fatal !== undefined) return draft.fatal;
  }
  return undefined;
}

function missingHeader(d: Draft): string | undefined {
  if (d.vias === undefined) return 'Missing Via header';
  if (d.from === undefined) return 'Missing From header';
  if (d.to === undefined) return 'Missing To header';
  if (d.callId === undefined) return 'Missing Call-ID header';
  if (d.cseq === undefined) return 'Missing CSeq header';
  return undefined;
}

function salvage(d: Draft, isRequest: boolean): PartialMessage {
  const p: Mutable<PartialMessage> = { isRequest };
  // A partial Via list would send the answer to the wrong hop, so it is all or nothing.
  if (d.vias !== undefined && !d.viaBad) p.vias = d.vias;
  if (d.callId !== undefined) p.callId = d.callId;
  if (d.from !== undefined) p.from = d.from;
  if (d.to !== undefined) p.to = d.to;
  if (d.cseq !== undefined) p.cseq = d.cseq;
  return p;
}

/**
 * RFC 3261 §18.3: without Content-Length (allowed on datagrams) the body is the rest of
 * the message; with it, fewer bytes is an error and extra bytes are dropped.
 */
function readBody(buf: Buffer, from: number, contentLength: number | undefined): Buffer | undefined {
  const available = buf.length - from;
  const length = contentLength ?? available;
  if (length > available) return undefined;
  // A copy, so the message does not pin or alias the receive buffer.
  return length === 0 ? EMPTY_BODY : Buffer.from(buf.subarray(from, from + length));
}

function assemble(start: StartLine & { kind: 'request' | 'response' }, d: Draft, body: Buffer): SipMessage {
  // Written out field by field: object spread is several times slower here.
  const msg: Mutable<SipRequest> | Mutable<SipResponse> =
    start.kind === 'request'
      ? {
          kind: 'request',
          method: start.method,
          uri: start.uri,
          vias: d.vias ?? [],
          from: d.from as NameAddr,
          to: d.to as NameAddr,
          callId: d.callId ?? '',
          cseq: d.cseq as CSeq,
          contacts: d.contacts,
          routes: d.routes,
          recordRoutes: d.recordRoutes,
          headers: d.headers,
          body,
        }
      : {
          kind: 'response',
          status: start.status,
          reason: start.reason,
          vias: d.vias ?? [],
          from: d.from as NameAddr,
          to: d.to as NameAddr,
          callId: d.callId ?? '',
          cseq: d.cseq as CSeq,
          contacts: d.contacts,
          routes: d.routes,
          recordRoutes: d.recordRoutes,
          headers: d.headers,
          body,
        };
  if (d.maxForwards !== undefined) msg.maxForwards = d.maxForwards;
  if (d.contentType !== undefined) msg.contentType = d.contentType;
  if (d.contactWildcard) msg.contactWildcard = true;
  return msg;
}
