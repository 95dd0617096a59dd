/**
 * Call transfer helpers: Refer-To (RFC 3515 §2.1), Replaces (RFC 3891), the sipfrag
 * NOTIFY bodies and Subscription-State of the implicit refer subscription (RFC 3515
 * §2.4.4–§2.4.7, RFC 3420), and Refer-Sub (RFC 4488). Pure text in, values out; parsers
 * never throw.
 */
import { reasonPhrase } from './build.js';
import { unescapeComponent } from './escape.js';
import { getHeader } from './headers.js';
import type { Parsed } from './syntax.js';
import { charClass, fail, findQuoteEnd, isToken, ok, parseParams, unquote } from './syntax.js';
import type { NameAddr, SipRequest, SipUri } from './types.js';
import { formatNameAddr, parseNameAddr } from './uri.js';

/**
 * The dialog a Replaces names (RFC 3891 §3), from the point of view of the UA that
 * receives it: `toTag` is that UA's local tag, `fromTag` its peer's.
 */
export interface ReplacesTarget {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
  /** `early-only`: replace only a dialog still in its early state (RFC 3891 §3). */
  readonly earlyOnly: boolean;
}

export interface ReferTo {
  /** Where to send the INVITE; its URI no longer carries the Replaces header. */
  readonly target: NameAddr;
  /** An attended transfer's dialog to replace; null for a blind transfer. */
  readonly replaces: ReplacesTarget | null;
}

/** RFC 3515 §2.4.5: the NOTIFY body type of a refer subscription. */
export const SIPFRAG_CONTENT_TYPE = 'message/sipfrag;version=2.0';

/** RFC 3261 §25.1 `word`, the characters of a Call-ID on either side of its "@". */
const WORD = charClass(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' + '-.!%*_+`\'~()<>:\\"/[]?{}',
);
/** Any visible ASCII: what a Replaces value may hold once phones that skip escaping are allowed for. */
const VISIBLE = charClass(
  Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).join(''),
);

/**
 * `Replaces: callid;to-tag=…;from-tag=…[;early-only]` (RFC 3891 §6.1), also the value
 * carried in a Refer-To URI once unescaped. Exactly one of each tag is required (§3).
 */
export function parseReplaces(value: string): Parsed<ReplacesTarget> {
  const s = value.trim();
  const semi = s.indexOf(';');
  const callId = (semi < 0 ? s : s.slice(0, semi)).trim();
  if (callId.length === 0) return fail('Missing Call-ID in Replaces');
  if (!isCallId(callId)) return fail('Bad Call-ID in Replaces');
  // parseParams rejects a repeated name, so a second to-tag or from-tag fails here.
  const params = parseParams(semi < 0 ? '' : s.slice(semi));
  if (params === undefined) return fail('Bad Replaces parameter');
  const toTag = tag(params['to-tag']);
  if (typeof toTag !== 'string') return fail(`${toTag.problem} to-tag in Replaces`);
  const fromTag = tag(params['from-tag']);
  if (typeof fromTag !== 'string') return fail(`${fromTag.problem} from-tag in Replaces`);
  return ok({ callId, toTag, fromTag, earlyOnly: Object.hasOwn(params, 'early-only') });
}

function tag(raw: string | null | undefined): string | { problem: 'Missing' | 'Bad' } {
  if (raw === undefined) return { problem: 'Missing' };
  const value = raw === null ? '' : unquote(raw);
  return isToken(value) ? value : { problem: 'Bad' };
}

/** callid = word [ "@" word ] (RFC 3261 §25.1). */
function isCallId(s: string): boolean {
  const at = s.indexOf('@');
  if (at < 0) return isWord(s);
  return isWord(s.slice(0, at)) && isWord(s.slice(at + 1));
}

function isWord(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || WORD[c] !== 1) return false;
  }
  return true;
}

/** The Replaces header value, unescaped (for a Replaces header or a Refer-To URI we build). */
export function formatReplaces(t: ReplacesTarget): string {
  return `${t.callId};to-tag=${t.toTag};from-tag=${t.fromTag}${t.earlyOnly ? ';early-only' : ''}`;
}

/**
 * A Refer-To value for an attended transfer: the target with `?Replaces=` escaped as
 * RFC 3891 §6.1 shows (`%40`, `%3B`, `%3D`), always in angle brackets (RFC 3261 §20:
 * a URI with headers must be). Any other URI header of the target is kept.
 */
export function referToWithReplaces(target: SipUri | NameAddr, t: ReplacesTarget): string {
  const addr: NameAddr = 'scheme' in target ? { uri: target, params: {} } : target;
  const headers: Record<string, string> = {};
  for (const name in addr.uri.headers) {
    if (name.toLowerCase() !== 'replaces') headers[name] = addr.uri.headers[name]!;
  }
  headers.Replaces = formatReplaces(t);
  return formatNameAddr({ ...addr, uri: { ...addr.uri, headers } });
}

/**
 * Refer-To (RFC 3515 §2.1): a name-addr or addr-spec, whose URI may carry
 * `?Replaces=<escaped Replaces value>` (RFC 3891 §5).
 *
 * Lenient where phones are: the Replaces value is also read unescaped
 * (`?Replaces=abc@host;to-tag=1;from-tag=2`), and an addr-spec with `?` (which RFC 3261
 * §20 forbids outside `<…>`) is read as a URI to its end, so its `;` are URI parameters.
 */
export function parseReferTo(value: string): Parsed<ReferTo> {
  const s = value.trim();
  if (s.length === 0) return fail('Empty Refer-To');
  const span = uriSpan(s);
  const cut = span === undefined ? undefined : cutReplaces(s.slice(span.start, span.end));
  if (cut !== undefined && typeof cut === 'string') return fail(cut);
  let text = s;
  if (span !== undefined && cut !== undefined) {
    text = span.bracketed ? s.slice(0, span.start) + cut.uri + s.slice(span.end) : `<${cut.uri}>`;
  }
  const target = parseNameAddr(text);
  if (!target.ok) return fail(`${target.reason} in Refer-To`);
  if (cut === undefined) return ok({ target: target.value, replaces: null });
  const replaces = parseReplaces(cut.replaces);
  if (!replaces.ok) return replaces;
  return ok({ target: target.value, replaces: replaces.value });
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly bracketed: boolean;
}

/** Where the URI is: inside `<…>` after an optional quoted display name, else the whole text. */
function uriSpan(s: string): Span | undefined {
  let from = 0;
  if (s.charCodeAt(0) === 0x22) {
    from = findQuoteEnd(s, 0) + 1;
    if (from === 0) return undefined;
  }
  const open = s.indexOf('<', from);
  if (open < 0) return { start: 0, end: s.length, bracketed: false };
  const close = s.indexOf('>', open + 1);
  return close < 0 ? undefined : { start: open + 1, end: close, bracketed: true };
}

const REPLACES_HEADER = /[?&]replaces=/i;

/**
 * Takes the Replaces header out of a URI's text before the URI parser sees it: unescaped,
 * its `@`, `;` and `=` would otherwise read as userinfo, parameters and other headers.
 * Returns undefined when there is none, or a reason when it is malformed.
 */
function cutReplaces(uri: string): { uri: string; replaces: string } | string | undefined {
  const found = REPLACES_HEADER.exec(uri);
  if (found === null) return undefined;
  const start = found.index;
  const valueStart = start + found[0].length;
  const amp = uri.indexOf('&', valueStart);
  const valueEnd = amp < 0 ? uri.length : amp;
  const replaces = unescapeComponent(uri.slice(valueStart, valueEnd), VISIBLE, true);
  if (replaces === undefined) return 'Bad character or escape in Replaces';
  // "?Replaces=…&a=b" keeps "?a=b"; "…&Replaces=…" just drops out.
  const rest = amp < 0 ? '' : uri.charCodeAt(start) === 0x3f ? `?${uri.slice(amp + 1)}` : uri.slice(amp);
  const without = uri.slice(0, start) + rest;
  if (REPLACES_HEADER.test(without)) return 'Duplicate Replaces in Refer-To';
  return { uri: without, replaces };
}

/**
 * A NOTIFY body reporting the referred request's progress (RFC 3515 §2.4.5): just the
 * status line, e.g. `SIP/2.0 200 OK\r\n`. Send it with SIPFRAG_CONTENT_TYPE.
 */
export function sipfrag(status: number, reason: string = reasonPhrase(status)): string {
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new RangeError(`sipfrag status ${status} is not a SIP status code`);
  }
  // A reason phrase may not hold CR or LF (RFC 3261 §25.1); one would end the fragment.
  const phrase = reason.replace(/[\r\n]+/g, ' ').trim();
  return `SIP/2.0 ${status} ${phrase}\r\n`;
}

const STATUS_LINE = /^SIP\/2\.0[ \t]+([1-6]\d\d)(?:[ \t]|$)/i;

/**
 * The status code of a sipfrag NOTIFY body (RFC 3420), or null when its first line is not
 * a status line (a request line, garbage, an empty body). A missing reason phrase is
 * tolerated.
 */
export function parseSipfragStatus(body: string | Buffer): number | null {
  const head = typeof body === 'string' ? body.slice(0, 256) : body.subarray(0, 256).toString('latin1');
  const eol = head.search(/\r|\n/);
  const m = STATUS_LINE.exec((eol < 0 ? head : head.slice(0, eol)).trimStart());
  return m === null ? null : Number(m[1]);
}

/**
 * Subscription-State of a refer NOTIFY (RFC 3515 §2.4.7, RFC 6665 §4.1.3): active until
 * the referred request has a final response, then `terminated;reason=noresource`.
 */
export function referSubscriptionState(final: boolean, expiresS = 60): string {
  if (final) return 'terminated;reason=noresource';
  if (!Number.isInteger(expiresS) || expiresS < 0) {
    throw new RangeError(`refer subscription expires ${expiresS} is not a whole number of seconds`);
  }
  return `active;expires=${expiresS}`;
}

/**
 * True when a REFER asks for no implicit subscription with `Refer-Sub: false` (RFC 4488
 * §4): the recipient that honours it sends no NOTIFY and puts `Refer-Sub: false` in its
 * 2xx. Any other value, or none, means the RFC 3515 subscription.
 */
export function wantsNoReferSubscription(request: SipRequest): boolean {
  const value = getHeader(request, 'Refer-Sub');
  if (value === undefined) return false;
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() === 'false';
}
