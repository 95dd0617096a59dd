/**
 * The headers the parser keeps in parsed form (see types.ts), one small handler each.
 * Handlers record the first error and let parsing go on, so that a message with one bad
 * header still yields its Via, From, To, Call-ID and CSeq for the 400 answer.
 */
import { parseCSeq, parseVia } from './headers.js';
import { allIn, charClass, isToken, splitList } from './syntax.js';
import type { CSeq, Header, NameAddr, ParseLimits, Via } from './types.js';
import { parseNameAddr } from './uri.js';

export interface Draft {
  readonly limits: ParseLimits;
  vias: Via[] | undefined;
  /** Some Via entry could not be parsed. */
  viaBad: boolean;
  from: NameAddr | undefined;
  to: NameAddr | undefined;
  callId: string | undefined;
  cseq: CSeq | undefined;
  maxForwards: number | undefined;
  contentLength: number | undefined;
  contentType: string | undefined;
  contacts: NameAddr[];
  contactWildcard: boolean;
  routes: NameAddr[];
  recordRoutes: NameAddr[];
  headers: Header[];
  /** Bit per single-valued header already seen, to reject duplicates. */
  seen: number;
  /** The first malformed header; parsing continues. */
  error: string | undefined;
  /** A limit was exceeded; parsing stops. */
  fatal: string | undefined;
}

export function newDraft(limits: ParseLimits): Draft {
  return {
    limits,
    vias: undefined,
    viaBad: false,
    from: undefined,
    to: undefined,
    callId: undefined,
    cseq: undefined,
    maxForwards: undefined,
    contentLength: undefined,
    contentType: undefined,
    contacts: [],
    contactWildcard: false,
    routes: [],
    recordRoutes: [],
    headers: [],
    seen: 0,
    error: undefined,
    fatal: undefined,
  };
}

function setError(d: Draft, reason: string): void {
  if (d.error === undefined) d.error = reason;
}

/**
 * Single-valued headers (RFC 3261 §7.3.1: only list headers may repeat). Returns false
 * and records "Duplicate … header" when `bit` was already seen.
 */
function first(d: Draft, bit: number, label: string): boolean {
  if ((d.seen & bit) !== 0) {
    setError(d, `Duplicate ${label} header`);
    return false;
  }
  d.seen |= bit;
  return true;
}

/** Call-ID = word [ "@" word ] (RFC 3261 §25.1); `@` is simply allowed among word characters. */
const CALL_ID_CHARS = charClass(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' + '-.!%*_+`\'~()<>:\\"/[]?{}@',
);

function via(d: Draft, value: string): void {
  const entries = splitList(value);
  const vias = (d.vias ??= []);
  if (entries === undefined) {
    d.viaBad = true;
    setError(d, 'Bad Via header');
    return;
  }
  for (const entry of entries) {
    const parsed = parseVia(entry);
    if (parsed.ok) {
      vias.push(parsed.value);
    } else {
      d.viaBad = true;
      setError(d, 'Bad Via header');
    }
    if (vias.length > d.limits.maxVias) {
      d.fatal = 'Too many Via headers';
      return;
    }
  }
}

function addresses(value: string, out: NameAddr[]): boolean {
  const entries = splitList(value);
  if (entries === undefined) return false;
  for (const entry of entries) {
    const parsed = parseNameAddr(entry);
    if (!parsed.ok) return false;
    out.push(parsed.value);
  }
  return true;
}

function nameAddr(d: Draft, value: string, bit: number, label: string): NameAddr | undefined {
  if (!first(d, bit, label)) return undefined;
  const parsed = parseNameAddr(value);
  // RFC 3261 §25.1: tag-param = "tag" EQUAL token. A bare `;tag` would be echoed into
  // every answer as a To tag that is no tag at all.
  const tag = parsed.ok ? parsed.value.params.tag : undefined;
  if (parsed.ok && (tag === undefined || (tag !== null && isToken(tag)))) return parsed.value;
  setError(d, `Bad ${label} header`);
  return undefined;
}

/** 1*DIGIT whose value, leading zeros aside, has at most `maxDigits` digits; undefined otherwise. */
function digits(value: string, maxDigits: number): number | undefined {
  if (value.length === 0) return undefined;
  let start = 0;
  while (start < value.length - 1 && value.charCodeAt(start) === 0x30) start++;
  if (value.length - start > maxDigits) return undefined;
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(value.slice(start));
}

type Handler = (d: Draft, value: string) => void;

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['via', via],
  ['from', (d, v) => (d.from = nameAddr(d, v, 1, 'From') ?? d.from)],
  ['to', (d, v) => (d.to = nameAddr(d, v, 2, 'To') ?? d.to)],
  [
    'call-id',
    (d, v) => {
      if (!first(d, 4, 'Call-ID')) return;
      if (allIn(v, CALL_ID_CHARS)) d.callId = v;
      else setError(d, 'Bad Call-ID header');
    },
  ],
  [
    'cseq',
    (d, v) => {
      if (!first(d, 8, 'CSeq')) return;
      const parsed = parseCSeq(v);
      if (parsed.ok) d.cseq = parsed.value;
      else setError(d, 'Bad CSeq header');
    },
  ],
  [
    'max-forwards',
    (d, v) => {
      if (!first(d, 16, 'Max-Forwards')) return;
      // RFC 3261 §20.22: an integer 0-255.
      const n = digits(v, 3);
      if (n !== undefined && n <= 255) d.maxForwards = n;
      else setError(d, 'Bad Max-Forwards header');
    },
  ],
  [
    'content-length',
    (d, v) => {
      if (!first(d, 32, 'Content-Length')) return;
      const n = digits(v, 10);
      if (n !== undefined) d.contentLength = n;
      else setError(d, 'Bad Content-Length header');
    },
  ],
  [
    'content-type',
    (d, v) => {
      if (!first(d, 64, 'Content-Type')) return;
      if (v.includes('/')) d.contentType = v;
      else setError(d, 'Bad Content-Type header');
    },
  ],
  ['contact', contact],
  ['route', (d, v) => addresses(v, d.routes) || setError(d, 'Bad Route header')],
  ['record-route', (d, v) => addresses(v, d.recordRoutes) || setError(d, 'Bad Record-Route header')],
]);

/** `Contact: *` stands alone (RFC 3261 §10.2.2, §20.10). */
function contact(d: Draft, value: string): void {
  if (value === '*') {
    if (d.contactWildcard || d.contacts.length > 0) setError(d, 'Bad Contact header');
    d.contactWildcard = true;
    return;
  }
  if (d.contactWildcard || !addresses(value, d.contacts)) setError(d, 'Bad Contact header');
}

/**
 * Applies one header to the draft if it is one of the parsed ones; returns false for the
 * headers kept raw. `key` is the lower-case canonical name.
 */
export function applyHeader(d: Draft, key: string, value: string): boolean {
  const handler = HANDLERS.get(key);
  if (handler === undefined) return false;
  handler(d, value);
  return true;
}
