/**
 * Contact URI equality for binding updates (RFC 3261 §10.3 step 8 points to §19.1.4).
 *
 * A tiny parser of its own, working on the serialized URI strings stored in bindings, so
 * the registrar does not depend on the message parser's internals.
 *
 * One deliberate deviation: §19.1.4 says `sip:1001@10.0.0.5` and `sip:1001@10.0.0.5:5060`
 * differ (an omitted port means "do SRV"). A phone that flips between the two forms would
 * then hold two bindings for one device and ring twice, so here an omitted port equals the
 * scheme's default port (5060, 5061 for sips).
 */

interface ParsedUri {
  readonly scheme: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number;
  /** Lower-case name → lower-case unescaped value (null for a bare flag). */
  readonly params: ReadonlyMap<string, string | null>;
  /** Lower-case name → unescaped value, sorted by name then value for comparison. */
  readonly headers: readonly string[];
}

/** §19.1.4: these parameters never match when present in only one URI. */
const MUST_MATCH_PARAMS = ['user', 'ttl', 'method', 'maddr'];

function unescape(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function parseHostPort(text: string, scheme: string): { host: string; port: number } | undefined {
  const defaultPort = scheme === 'sips' ? 5061 : 5060;
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return undefined;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    [host, portText] = splitOnce(text, ':');
  }
  if (host === '') return undefined;
  if (portText === undefined) return { host: host.toLowerCase(), port: defaultPort };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  return { host: host.toLowerCase(), port: Number(portText) };
}

function parseParams(text: string | undefined): Map<string, string | null> {
  const params = new Map<string, string | null>();
  if (text === undefined) return params;
  for (const part of text.split(';')) {
    if (part === '') continue;
    const [name, value] = splitOnce(part, '=');
    params.set(unescape(name).toLowerCase(), value === undefined ? null : unescape(value).toLowerCase());
  }
  return params;
}

function parseHeaders(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split('&')
    .filter((h) => h !== '')
    .map((h) => {
      const [name, value] = splitOnce(h, '=');
      return `${unescape(name).toLowerCase()}=${unescape(value ?? '')}`;
    })
    .sort();
}

/** Parses `scheme:[user[:password]@]host[:port][;params][?headers]`, or undefined. */
function parseUri(raw: string): ParsedUri | undefined {
  let text = raw.trim();
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  const [schemeText, rest] = splitOnce(text, ':');
  if (rest === undefined || !/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(schemeText)) return undefined;
  const scheme = schemeText.toLowerCase();
  const [beforeHeaders, headerText] = splitOnce(rest, '?');
  // The user part may hold ';' (user parameters) but never an unescaped '@'.
  const at = beforeHeaders.indexOf('@');
  const userinfo = at < 0 ? undefined : beforeHeaders.slice(0, at);
  const [hostPortText, paramText] = splitOnce(beforeHeaders.slice(at + 1), ';');
  const hostPort = parseHostPort(hostPortText, scheme);
  if (hostPort === undefined) return undefined;
  const [user, password] = userinfo === undefined ? [undefined, undefined] : splitOnce(userinfo, ':');
  return {
    scheme,
    user: user === undefined ? undefined : unescape(user),
    password: password === undefined ? undefined : unescape(password),
    ...hostPort,
    params: parseParams(paramText),
    headers: parseHeaders(headerText),
  };
}

function paramsMatch(a: ReadonlyMap<string, string | null>, b: ReadonlyMap<string, string | null>): boolean {
  for (const [name, value] of a) {
    if (b.has(name)) {
      if (b.get(name) !== value) return false;
    } else if (MUST_MATCH_PARAMS.includes(name)) return false;
  }
  for (const name of b.keys()) {
    if (!a.has(name) && MUST_MATCH_PARAMS.includes(name)) return false;
  }
  return true;
}

/**
 * True when two Contact URIs name the same binding (RFC 3261 §19.1.4, with the default-port
 * deviation above). Scheme and host are case-insensitive, user and password case-sensitive,
 * %HH escapes equal their characters, parameters present in only one URI are ignored except
 * user/ttl/method/maddr, and URI headers must all match. Strings that do not parse as URIs
 * are compared exactly.
 */
export function sameContactUri(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseUri(a);
  const y = parseUri(b);
  if (x === undefined || y === undefined) return false;
  return (
    x.scheme === y.scheme &&
    x.user === y.user &&
    x.password === y.password &&
    x.host === y.host &&
    x.port === y.port &&
    paramsMatch(x.params, y.params) &&
    x.headers.length === y.headers.length &&
    x.headers.every((h, i) => h === y.headers[i])
  );
}
