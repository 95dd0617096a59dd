import type {
  Attribute,
  Bandwidth,
  Connection,
  MediaDescription,
  Origin,
  ParseSdpResult,
  SessionDescription,
  Timing,
} from './types.js';

/**
 * SDP parser (RFC 8866). Total: returns `{ ok: false, reason }` for anything it cannot
 * read and never throws, whatever the input. Values are checked for shape and range, not
 * trusted; attributes are kept verbatim and in order.
 */

/** A SIP body beyond this is not an SDP we want to read (RFC 3261 UDP bodies are far smaller). */
export const MAX_SDP_LENGTH = 64 * 1024;
const MAX_LINES = 2000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MediaBuilder extends Mutable<MediaDescription> {
  bandwidths: Bandwidth[];
  attributes: Attribute[];
}

interface SessionBuilder extends Omit<Mutable<SessionDescription>, 'origin' | 'sessionName'> {
  origin?: Origin;
  sessionName?: string;
  emails: string[];
  phones: string[];
  bandwidths: Bandwidth[];
  timings: Timing[];
  attributes: Attribute[];
  media: MediaBuilder[];
}

class SdpSyntaxError {
  constructor(readonly reason: string) {}
}

// RFC 8866 §5: "An SDP parser MUST completely ignore or reject any session description
// that contains a type letter that it does not understand." We reject.
const SESSION_TYPES = new Set(['o', 's', 'i', 'u', 'e', 'p', 'c', 'b', 't', 'r', 'z', 'k', 'a', 'm']);
const MEDIA_TYPES = new Set(['i', 'c', 'b', 'k', 'a', 'm']);
const DIGITS = /^\d{1,20}$/;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

export function parseSdp(text: string): ParseSdpResult {
  if (typeof text !== 'string') return { ok: false, reason: 'SDP body is not text' };
  if (text.length > MAX_SDP_LENGTH)
    return { ok: false, reason: `SDP longer than ${MAX_SDP_LENGTH} characters` };
  // CRLF per RFC 8866 §5, but parsers should accept a bare LF; blank lines are ignored.
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.length > 0);
  if (lines.length > MAX_LINES) return { ok: false, reason: `SDP has more than ${MAX_LINES} lines` };
  const result = parseLines(lines);
  if (result instanceof SdpSyntaxError) return { ok: false, reason: result.reason };
  return { ok: true, sdp: result };
}

function parseLines(lines: readonly string[]): SessionDescription | SdpSyntaxError {
  if (lines[0] !== 'v=0') return new SdpSyntaxError('first line must be v=0');
  const s: SessionBuilder = {
    version: 0,
    emails: [],
    phones: [],
    bandwidths: [],
    timings: [],
    attributes: [],
    media: [],
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const type = line[0]!;
    const value = line.slice(2);
    const where = `line ${i + 1}`;
    if (line[1] !== '=' || !/[a-z]/.test(type)) return new SdpSyntaxError(`${where} is not <type>=<value>`);
    const media = s.media[s.media.length - 1];
    const allowed = media ? MEDIA_TYPES : SESSION_TYPES;
    if (!allowed.has(type)) {
      return new SdpSyntaxError(`${where}: ${type}= not allowed ${media ? 'at media level' : 'here'}`);
    }
    const err =
      type === 'm'
        ? pushMedia(s, value)
        : media
          ? mediaLine(media, type, value)
          : sessionLine(s, type, value);
    if (err !== undefined) return new SdpSyntaxError(`${where}: ${err}`);
  }
  if (s.origin === undefined) return new SdpSyntaxError('missing o= line');
  if (s.sessionName === undefined) return new SdpSyntaxError('missing s= line');
  return { ...s, origin: s.origin, sessionName: s.sessionName };
}

/** Returns an error text, or undefined when the line was taken. */
function sessionLine(s: SessionBuilder, type: string, value: string): string | undefined {
  switch (type) {
    case 'o':
      if (s.origin !== undefined) return 'duplicate o=';
      return take(parseOrigin(value), (o) => (s.origin = o));
    case 's':
      // RFC 8866 §5.3 wants "s= " or "s=-" when there is no name; an empty s= is tolerated.
      if (s.sessionName !== undefined) return 'duplicate s=';
      s.sessionName = value;
      return undefined;
    case 'c':
      if (s.connection !== undefined) return 'duplicate c=';
      return take(parseConnection(value), (c) => (s.connection = c));
    case 'b':
      return take(parseBandwidth(value), (b) => s.bandwidths.push(b));
    case 't':
      return take(parseTiming(value), (t) => s.timings.push(t));
    case 'r': {
      const last = s.timings[s.timings.length - 1];
      if (last === undefined) return 'r= without t=';
      s.timings[s.timings.length - 1] = { ...last, repeats: [...last.repeats, value] };
      return undefined;
    }
    case 'a':
      return take(parseAttribute(value), (a) => s.attributes.push(a));
    default:
      return sessionTextLine(s, type, value);
  }
}

/** The free-text session lines: i, u, e, p, z, k. */
function sessionTextLine(s: SessionBuilder, type: string, value: string): string | undefined {
  switch (type) {
    case 'e':
      s.emails.push(value);
      return undefined;
    case 'p':
      s.phones.push(value);
      return undefined;
  }
  const field = ({ i: 'information', u: 'uri', z: 'timeZones', k: 'key' } as const)[
    type as 'i' | 'u' | 'z' | 'k'
  ];
  if (s[field] !== undefined) return `duplicate ${type}=`;
  s[field] = value;
  return undefined;
}

function mediaLine(m: MediaBuilder, type: string, value: string): string | undefined {
  switch (type) {
    case 'c':
      if (m.connection !== undefined) return 'duplicate c= in media';
      return take(parseConnection(value), (c) => (m.connection = c));
    case 'b':
      return take(parseBandwidth(value), (b) => m.bandwidths.push(b));
    case 'a':
      return take(parseAttribute(value), (a) => m.attributes.push(a));
    case 'i':
      if (m.title !== undefined) return 'duplicate i= in media';
      m.title = value;
      return undefined;
    default:
      if (m.key !== undefined) return 'duplicate k= in media';
      m.key = value;
      return undefined;
  }
}

function pushMedia(s: SessionBuilder, value: string): string | undefined {
  const parsed = parseMediaLine(value);
  if (typeof parsed === 'string') return parsed;
  s.media.push(parsed);
  return undefined;
}

function take<T>(parsed: T | string, use: (v: T) => unknown): string | undefined {
  if (typeof parsed === 'string') return parsed;
  use(parsed);
  return undefined;
}

function fields(value: string): string[] {
  const trimmed = value.trim();
  return trimmed === '' ? [] : trimmed.split(/[ \t]+/);
}

function parseOrigin(value: string): Origin | string {
  const f = fields(value);
  if (f.length !== 6) return `o= needs 6 fields, got ${f.length}`;
  const [username, sessionId, sessionVersion, netType, addrType, address] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!DIGITS.test(sessionVersion)) return `o= sess-version "${sessionVersion}" is not a number`;
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function parseConnection(value: string): Connection | string {
  const f = fields(value);
  if (f.length !== 3) return `c= needs 3 fields, got ${f.length}`;
  return { netType: f[0]!, addrType: f[1]!, address: f[2]! };
}

function parseBandwidth(value: string): Bandwidth | string {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) return 'b= is not <type>:<value>';
  return { type: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseTiming(value: string): Timing | string {
  const f = fields(value);
  if (f.length !== 2 || !DIGITS.test(f[0]!) || !DIGITS.test(f[1]!)) return 't= is not <start> <stop>';
  return { start: f[0]!, stop: f[1]!, repeats: [] };
}

function parseAttribute(value: string): Attribute | string {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (!TOKEN.test(name)) return `bad attribute name "${name.slice(0, 40)}"`;
  return colon < 0 ? { name } : { name, value: value.slice(colon + 1) };
}

function parseMediaLine(value: string): MediaBuilder | string {
  const f = fields(value);
  if (f.length < 4) return 'm= needs <media> <port> <proto> <fmt>...';
  const [kind, portField, proto] = f as [string, string, string];
  const formats = f.slice(3);
  const [portText, countText, extra] = portField.split('/');
  if (!TOKEN.test(kind) || !TOKEN.test(proto.replace(/\//g, '-'))) return 'm= has a bad media or proto token';
  const port = portNumber(portText);
  if (port === undefined || extra !== undefined) return `m= port "${portField}" is invalid`;
  const portCount = countText === undefined ? undefined : portNumber(countText);
  if (countText !== undefined && (portCount === undefined || portCount < 1))
    return 'm= port count is invalid';
  // RFC 3551 §3: RTP payload types are 0..127.
  if (/RTP\//.test(proto) && !formats.every((fmt) => /^\d{1,3}$/.test(fmt) && Number(fmt) <= 127)) {
    return 'm= RTP payload type out of 0..127';
  }
  const m: MediaBuilder = { kind, port, proto, formats, bandwidths: [], attributes: [] };
  if (portCount !== undefined) m.portCount = portCount;
  return m;
}

function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}
