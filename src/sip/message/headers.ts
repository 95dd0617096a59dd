/**
 * Header names, list splitting, and the small structured headers (Via, CSeq) — RFC 3261
 * §7.3, §20. Also the accessors other layers use to read any header from a parsed
 * message by name, whether it is kept parsed or raw.
 */
import { HOST } from './escape.js';
import type { Parsed } from './syntax.js';
import { TOKEN, fail, formatParams, isWhitespace, ok, parseParams, splitList } from './syntax.js';
import type { CSeq, SipMessage, Via } from './types.js';
import { formatNameAddr, isIpv6 } from './uri.js';

export { parseParams, formatParams, splitList, unquote, quote } from './syntax.js';

/** Compact forms (RFC 3261 §7.3.3 and the RFCs that registered the others). */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/** Spellings that plain title-casing would get wrong, and the common rest. */
const WELL_KNOWN = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow',
  'Allow-Events', 'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact',
  'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type',
  'CSeq', 'Date', 'Diversion', 'Error-Info', 'Event', 'Expires', 'Flow-Timer', 'From',
  'History-Info', 'Identity', 'Identity-Info', 'In-Reply-To', 'Join', 'Max-Breadth', 'Max-Forwards',
  'MIME-Version', 'Min-Expires', 'Min-SE', 'Organization', 'P-Asserted-Identity', 'P-Associated-URI',
  'P-Called-Party-ID', 'P-Charging-Vector', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Refer-Sub', 'Refer-To', 'Referred-By', 'Reject-Contact', 'Remote-Party-ID', 'Replaces', 'Reply-To',
  'Request-Disposition', 'Require', 'Retry-After', 'Route', 'RSeq', 'Security-Client',
  'Security-Server', 'Security-Verify', 'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag',
  'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported', 'Target-Dialog', 'Timestamp', 'To',
  'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
]; // prettier-ignore

const CANONICAL = new Map<string, string>();
for (const name of WELL_KNOWN) CANONICAL.set(name.toLowerCase(), name);
for (const [short, long] of Object.entries(COMPACT)) CANONICAL.set(short, long);

/**
 * Headers whose values are comma-separated lists (RFC 3261 §7.3.1). Not in this set on
 * purpose: WWW-Authenticate, Authorization, Proxy-Authenticate, Proxy-Authorization
 * (their challenge/credential parameters are separated by commas) and Date (has a comma
 * in its value), and every header we do not know.
 */
const LIST_HEADERS = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow',
  'allow-events', 'call-info', 'contact', 'content-encoding', 'content-language', 'diversion',
  'error-info', 'history-info', 'in-reply-to', 'p-asserted-identity', 'p-associated-uri',
  'p-preferred-identity', 'path', 'proxy-require', 'reason', 'record-route', 'reject-contact',
  'request-disposition', 'require', 'route', 'security-client', 'security-server',
  'security-verify', 'service-route', 'supported', 'unsupported', 'via', 'warning',
]); // prettier-ignore

/** Canonical spelling of a header name: compact forms expanded, well-known names cased; others as given. */
export function canonicalName(name: string): string {
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Lower-case canonical key, for comparing header names. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT[lower]?.toLowerCase() ?? lower) : lower;
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}

/** The entries of one header line: list headers split at top-level commas, others whole. */
export function splitHeaderValue(name: string, value: string): string[] {
  if (!isListHeader(name)) return [value];
  return splitList(value) ?? [value];
}

/**
 * via-parm (RFC 3261 §20.42, §25.1): `SIP / 2.0 / transport sent-by *(;param)`, with the
 * whitespace the grammar allows around "/" and ":".
 */
export function parseVia(text: string): Parsed<Via> {
  const semi = text.indexOf(';');
  const head = semi < 0 ? text : text.slice(0, semi);
  const rest = head.startsWith('SIP/2.0/') ? head.slice(8).trim() : sentProtocolRest(head);
  if (rest === undefined) return fail('Bad Via sent-protocol');
  let t = 0;
  while (t < rest.length && TOKEN[rest.charCodeAt(t)] === 1) t++;
  if (t === 0 || !isWhitespace(rest.charCodeAt(t))) return fail('Bad Via transport');
  const sentBy = parseSentBy(rest.slice(t).trim());
  if (sentBy === undefined) return fail('Bad Via sent-by');
  const params = parseParams(semi < 0 ? '' : text.slice(semi));
  if (params === undefined || !viaParamsValid(params)) return fail('Bad Via parameter');
  const transport = rest.slice(0, t).toUpperCase();
  // Object literals, not spreads: spreading is several times slower on this hot path.
  return ok(
    sentBy.port === undefined
      ? { transport, host: sentBy.host, params }
      : { transport, host: sentBy.host, port: sentBy.port, params },
  );
}

/** The slow path for `SIP / 2.0 / …` written with whitespace or in lower case. */
function sentProtocolRest(head: string): string | undefined {
  const s1 = head.indexOf('/');
  const s2 = s1 < 0 ? -1 : head.indexOf('/', s1 + 1);
  if (s2 < 0) return undefined;
  if (head.slice(0, s1).trim().toUpperCase() !== 'SIP' || head.slice(s1 + 1, s2).trim() !== '2.0') {
    return undefined;
  }
  return head.slice(s2 + 1).trim();
}

function parseSentBy(s: string): { host: string; port?: number } | undefined {
  let host: string;
  let rest: string;
  if (s.charCodeAt(0) === 0x5b) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    host = s.slice(1, close);
    if (!isIpv6(host)) return undefined;
    rest = s.slice(close + 1).trim();
  } else {
    const colon = s.indexOf(':');
    host = (colon < 0 ? s : s.slice(0, colon)).trimEnd();
    rest = colon < 0 ? '' : s.slice(colon);
    for (let i = 0; i < host.length; i++) if (HOST[host.charCodeAt(i)] !== 1) return undefined;
    if (host.length === 0) return undefined;
  }
  if (rest.length === 0) return { host };
  if (rest.charCodeAt(0) !== 0x3a) return undefined;
  const port = parsePort(rest.slice(1).trim());
  return port === undefined ? undefined : { host, port };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function parsePort(s: string): number | undefined {
  if (s.length === 0 || s.length > 5) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(s);
  return n <= 65_535 ? n : undefined;
}

/** branch and received need values; rport is empty or a port (RFC 3261 §20.42, RFC 3581 §4). */
function viaParamsValid(params: Readonly<Record<string, string | null>>): boolean {
  if (params.branch === null || params.received === null) return false;
  const rport = params.rport;
  return rport === undefined || rport === null || parsePort(rport) !== undefined;
}

export function formatVia(via: Via): string {
  const host = via.host.includes(':') ? `[${via.host}]` : via.host;
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `SIP/2.0/${via.transport} ${host}${port}${formatParams(via.params)}`;
}

/** CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number must fit 32 bits (§8.1.1.5). */
export function parseCSeq(text: string): Parsed<CSeq> {
  const s = text.trim();
  let z = 0;
  while (s.charCodeAt(z) === 0x30 && isDigit(s.charCodeAt(z + 1))) z++; // leading zeros
  let i = z;
  while (i < s.length && i - z <= 10 && isDigit(s.charCodeAt(i))) i++;
  const seq = Number(s.slice(z, i));
  if (i === z || !(seq <= 0xffff_ffff)) return fail('Bad CSeq number');
  let m = i;
  while (m < s.length && isWhitespace(s.charCodeAt(m))) m++;
  if (m === i) return fail('Bad CSeq header');
  const method = s.slice(m);
  for (let k = 0; k < method.length; k++)
    if (TOKEN[method.charCodeAt(k)] !== 1) return fail('Bad CSeq method');
  if (method.length === 0) return fail('Bad CSeq method');
  return ok({ seq, method });
}

/** Values of the headers kept parsed, written back as text; undefined for raw-kept headers. */
function structuredValues(msg: SipMessage, key: string): string[] | undefined {
  switch (key) {
    case 'via':
      return msg.vias.map(formatVia);
    case 'from':
      return [formatNameAddr(msg.from)];
    case 'to':
      return [formatNameAddr(msg.to)];
    case 'call-id':
      return [msg.callId];
    case 'cseq':
      return [`${msg.cseq.seq} ${msg.cseq.method}`];
    case 'max-forwards':
      return msg.maxForwards === undefined ? [] : [String(msg.maxForwards)];
    case 'contact':
      return msg.contactWildcard ? ['*'] : msg.contacts.map(formatNameAddr);
    case 'route':
      return msg.routes.map(formatNameAddr);
    case 'record-route':
      return msg.recordRoutes.map(formatNameAddr);
    case 'content-type':
      return msg.contentType === undefined ? [] : [msg.contentType];
    case 'content-length':
      return [String(msg.body.length)];
    default:
      return undefined;
  }
}

/**
 * The value of a header by any spelling of its name (case-insensitive, compact form
 * accepted); undefined when absent. For a list header, all its lines and entries joined
 * with ", " — the same value by RFC 3261 §7.3.1; for any other header, its first line.
 * Parsed headers are formatted back to text.
 */
export function getHeader(msg: SipMessage, name: string): string | undefined {
  const key = headerKey(name);
  const list = LIST_HEADERS.has(key);
  const structured = structuredValues(msg, key);
  if (structured !== undefined) return structured.length === 0 ? undefined : structured.join(', ');
  let joined: string | undefined;
  for (const h of msg.headers) {
    if (headerKey(h.name) !== key) continue;
    if (!list) return h.value;
    joined = joined === undefined ? h.value : `${joined}, ${h.value}`;
  }
  return joined;
}

/** Every value of a header, in order: list headers split into entries, others one per line. */
export function getHeaders(msg: SipMessage, name: string): string[] {
  const key = headerKey(name);
  const structured = structuredValues(msg, key);
  if (structured !== undefined) return structured;
  const out: string[] = [];
  for (const h of msg.headers) {
    if (headerKey(h.name) === key) out.push(...splitHeaderValue(key, h.value));
  }
  return out;
}
