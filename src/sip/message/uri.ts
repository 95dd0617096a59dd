/**
 * SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966 for tel:).
 *
 * Parsing unescapes `%XX` in the user, password, parameter and header components;
 * formatting escapes every character outside the component's unreserved set (RFC 3261
 * §19.1.2, §25.1), so `formatUri(parseUri(s))` is `s` in canonical escaping.
 */
import {
  ALPHA_NUM_TEL,
  HNV,
  HOST,
  PARAM,
  PASSWORD,
  USER,
  USER_LENIENT,
  escapeComponent,
  unescapeComponent,
} from './escape.js';
import type { Parsed } from './syntax.js';
import {
  TOKEN,
  fail,
  findQuoteEnd,
  formatParams,
  isToken,
  isWhitespace,
  ok,
  parseParams,
  quote,
  unquote,
} from './syntax.js';
import type { NameAddr, Params, SipUri } from './types.js';

const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const MAX_PORT = 65_535;

/** Parses a sip:, sips: or tel: URI. Any other scheme is an error ("Unsupported URI scheme"). */
export function parseUri(text: string): Parsed<SipUri> {
  const colon = text.indexOf(':');
  if (colon <= 0) return fail('Bad URI');
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (scheme === 'tel') return parseTelUri(rest);
  // RFC 3261 §8.2.2.1 answers an unknown scheme with 416; we report it by name.
  return fail(SCHEME_CHARS.test(scheme) ? 'Unsupported URI scheme' : 'Bad URI');
}

function parseSipUri(scheme: 'sip' | 'sips', rest: string): Parsed<SipUri> {
  // user and password may not hold an unescaped "@", and neither may what follows the
  // host (RFC 3261 §25.1), so the first "@" ends the userinfo.
  const at = rest.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const info = rest.slice(0, at);
    const pc = info.indexOf(':');
    user = unescapeComponent(pc < 0 ? info : info.slice(0, pc), USER_LENIENT);
    if (user === undefined || user.length === 0) return fail('Bad URI user');
    if (pc >= 0) {
      password = unescapeComponent(info.slice(pc + 1), PASSWORD, true);
      if (password === undefined) return fail('Bad URI password');
    }
  }
  const hp = parseHostPort(rest, at + 1);
  if (!hp.ok) return hp;
  const { host, port, next } = hp.value;
  const q = rest.indexOf('?', next);
  const params = parseUriParams(rest.slice(next, q < 0 ? rest.length : q));
  if (params === undefined) return fail('Bad URI parameter');
  const headers = q < 0 ? {} : parseUriHeaders(rest.slice(q + 1));
  if (headers === undefined) return fail('Bad URI header');
  const uri: { -readonly [K in keyof SipUri]: SipUri[K] } = { scheme, host, params, headers };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  return ok(uri);
}

interface HostPort {
  readonly host: string;
  readonly port?: number;
  /** Index just past the host and port: the start of `;params` or `?headers`. */
  readonly next: number;
}

/** host [ ":" port ] at `from`; host is a hostname, IPv4 address or `[IPv6]` reference. */
function parseHostPort(s: string, from: number): Parsed<HostPort> {
  let i = from;
  let host: string;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0) return fail('Bad URI host');
    host = s.slice(i + 1, close);
    if (!isIpv6(host)) return fail('Bad URI host');
    i = close + 1;
  } else {
    while (i < s.length && HOST[s.charCodeAt(i)] === 1) i++;
    host = s.slice(from, i);
    if (host.length === 0) return fail('Bad URI host');
  }
  let port: number | undefined;
  if (s.charCodeAt(i) === 0x3a) {
    const start = ++i;
    while (i < s.length && i - start < 6 && isDigit(s.charCodeAt(i))) i++;
    port = i > start ? Number(s.slice(start, i)) : NaN;
    if (!(port <= MAX_PORT)) return fail('Bad URI port');
  }
  if (i < s.length && s.charCodeAt(i) !== 0x3b && s.charCodeAt(i) !== 0x3f) return fail('Bad URI host');
  return ok(port === undefined ? { host, next: i } : { host, port, next: i });
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** IPv6reference content (RFC 3261 §25.1): hex groups, colons, an optional dotted IPv4 tail. */
export function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 45 || !s.includes(':')) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!(isDigit(c) || (c >= 0x61 && c <= 0x66) || c === 0x3a || c === 0x2e)) return false;
  }
  return true;
}

/** `;name[=value]` URI parameters (RFC 3261 §19.1.1). Each name at most once (§19.1.4). */
function parseUriParams(text: string): Params | undefined {
  const out: Record<string, string | null> = {};
  if (text.length === 0) return out;
  if (text.charCodeAt(0) !== 0x3b) return undefined;
  for (const part of text.slice(1).split(';')) {
    const eq = part.indexOf('=');
    const name = unescapeComponent(eq < 0 ? part : part.slice(0, eq), PARAM)?.toLowerCase();
    if (name === undefined || name === '__proto__' || Object.hasOwn(out, name)) return undefined;
    if (eq < 0) {
      out[name] = null;
      continue;
    }
    const value = unescapeComponent(part.slice(eq + 1), PARAM);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}

/** `?hname=hvalue&…` URI headers (RFC 3261 §19.1.1); hvalue may be empty. */
function parseUriHeaders(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const name = unescapeComponent(part.slice(0, eq), HNV);
    const value = unescapeComponent(part.slice(eq + 1), HNV, true);
    if (name === undefined || value === undefined || name === '__proto__') return undefined;
    out[name] = value;
  }
  return out;
}

/** tel:number;params (RFC 3966). The number is kept in `user`; host is empty. */
function parseTelUri(rest: string): Parsed<SipUri> {
  const semi = rest.indexOf(';');
  const number = unescapeComponent(semi < 0 ? rest : rest.slice(0, semi), PARAM);
  if (number === undefined || !isTelNumber(number)) return fail('Bad tel URI number');
  const params = parseUriParams(semi < 0 ? '' : rest.slice(semi));
  if (params === undefined) return fail('Bad URI parameter');
  return ok({ scheme: 'tel', user: number, host: '', params, headers: {} });
}

function isTelNumber(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ALPHA_NUM_TEL[c] !== 1) return false;
  }
  return true;
}

/** Writes a URI with RFC 3261 §19.1.2 escaping. IPv6 hosts get their brackets back. */
export function formatUri(uri: SipUri): string {
  if (uri.scheme === 'tel') {
    return `tel:${escapeComponent(uri.user ?? '', PARAM)}${formatUriParams(uri.params)}`;
  }
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += escapeComponent(uri.user, USER);
    if (uri.password !== undefined) out += `:${escapeComponent(uri.password, PASSWORD)}`;
    out += '@';
  }
  out += uri.host.includes(':') ? `[${uri.host}]` : uri.host;
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += formatUriParams(uri.params);
  let sep = '?';
  for (const name in uri.headers) {
    out += `${sep}${escapeComponent(name, HNV)}=${escapeComponent(uri.headers[name] ?? '', HNV)}`;
    sep = '&';
  }
  return out;
}

function formatUriParams(params: Params): string {
  let out = '';
  for (const name in params) {
    const value = params[name];
    out += `;${escapeComponent(name, PARAM)}`;
    if (value !== null && value !== undefined) out += `=${escapeComponent(value, PARAM)}`;
  }
  return out;
}

/**
 * name-addr or addr-spec with header parameters (From, To, Contact, Route, …; RFC 3261
 * §20.10, §25.1). Without `<…>`, everything after the first `;` is a header parameter,
 * not a URI parameter.
 */
export function parseNameAddr(text: string): Parsed<NameAddr> {
  const s = text.trim();
  if (s.length === 0) return fail('Empty address');
  let i = 0;
  let displayName: string | undefined;
  if (s.charCodeAt(0) === 0x22) {
    const end = findQuoteEnd(s, 0);
    if (end < 0) return fail('Unterminated quoted string');
    displayName = unquote(s.slice(0, end + 1));
    i = end + 1;
    while (isWhitespace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 0x3c) return fail('Bad address');
  } else {
    // A token display name runs up to "<"; a URI stops this scan at its ":".
    while (i < s.length && isDisplayNameChar(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 0x3c) return parseAddrSpec(s);
    const name = s.slice(0, i).trim();
    if (name.length > 0) displayName = name;
  }
  const close = s.indexOf('>', i + 1);
  if (close < 0) return fail('Bad address');
  const uri = parseUri(s.slice(i + 1, close));
  if (!uri.ok) return uri;
  const params = parseParams(s.slice(close + 1));
  if (params === undefined) return fail('Bad address parameter');
  return ok(displayName === undefined ? { uri: uri.value, params } : { displayName, uri: uri.value, params });
}

function isDisplayNameChar(c: number): boolean {
  return c >= 128 || TOKEN[c] === 1 || isWhitespace(c);
}

function parseAddrSpec(s: string): Parsed<NameAddr> {
  const semi = s.indexOf(';');
  const uri = parseUri(semi < 0 ? s : s.slice(0, semi).trimEnd());
  if (!uri.ok) return uri;
  const params = semi < 0 ? {} : parseParams(s.slice(semi));
  if (params === undefined) return fail('Bad address parameter');
  return ok({ uri: uri.value, params });
}

/** Always writes `<uri>` so URI parameters never read as header parameters (RFC 3261 §20.10). */
export function formatNameAddr(addr: NameAddr): string {
  const uri = `<${formatUri(addr.uri)}>${formatParams(addr.params)}`;
  const name = addr.displayName;
  if (name === undefined) return uri;
  return `${isToken(name) ? name : quote(name)} ${uri}`;
}
