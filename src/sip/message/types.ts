/**
 * The SIP message model (RFC 3261 §7, §20, §25).
 *
 * The headers that every layer reads — Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Contact, Route, Record-Route, Content-Type — are kept only in parsed form, in fields of
 * their own; every other header stays as raw text in `headers`, in the order received.
 * The serializer writes the parsed fields back out, so nothing is stored twice.
 *
 * Parsed messages are treated as values: layers that change one (a proxy adding a Via,
 * a B2BUA building the other leg) make a new object with the spread operator.
 */

/** Generic parameters: `;name=value` or a bare `;name` (value null). Names are lower-case. */
export type Params = Readonly<Record<string, string | null>>;

export interface SipUri {
  readonly scheme: 'sip' | 'sips' | 'tel';
  /** User part, unescaped. For tel: URIs, the telephone number. */
  readonly user?: string;
  readonly password?: string;
  /** Host name, IPv4 address or IPv6 reference without brackets. Empty for tel: URIs. */
  readonly host: string;
  readonly port?: number;
  readonly params: Params;
  /** URI headers (`?name=value&…`), unescaped. */
  readonly headers: Readonly<Record<string, string>>;
}

/** name-addr / addr-spec with header parameters (From, To, Contact, Route, …). */
export interface NameAddr {
  readonly displayName?: string;
  readonly uri: SipUri;
  /** Header parameters after the URI, e.g. `tag`, `expires`, `q`, `lr` (lower-case names). */
  readonly params: Params;
}

export type TransportName = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

export interface Via {
  /** Upper-case transport token as written in the sent-protocol, e.g. `UDP`, `WSS`. */
  readonly transport: string;
  readonly host: string;
  readonly port?: number;
  /** `branch`, `rport` (null when present without value), `received`, `maddr`, `ttl`, … */
  readonly params: Params;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export interface Header {
  /** Canonical long name (compact forms expanded), e.g. `Content-Length`, `WWW-Authenticate`. */
  readonly name: string;
  readonly value: string;
}

interface MessageCommon {
  /** Topmost first. */
  readonly vias: readonly Via[];
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
  readonly maxForwards?: number;
  readonly contacts: readonly NameAddr[];
  /** `Contact: *` (only legal in REGISTER with Expires: 0). */
  readonly contactWildcard?: boolean;
  readonly routes: readonly NameAddr[];
  readonly recordRoutes: readonly NameAddr[];
  readonly contentType?: string;
  /** All other headers, raw, in order. Content-Length is never kept here: it is derived from `body`. */
  readonly headers: readonly Header[];
  readonly body: Buffer;
}

export interface SipRequest extends MessageCommon {
  readonly kind: 'request';
  /** Upper-case method token. */
  readonly method: string;
  readonly uri: SipUri;
}

export interface SipResponse extends MessageCommon {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Where a message came from or goes to, at the transport level. */
export interface Endpoint {
  readonly transport: TransportName;
  readonly address: string;
  readonly port: number;
  /** For connection-oriented transports: the connection a message arrived on / should go out on. */
  readonly connectionId?: string;
}

/** Limits the parser enforces; exceeding one is a parse error with a reason. */
export interface ParseLimits {
  readonly maxMessageBytes: number;
  readonly maxHeaders: number;
  readonly maxHeaderLineBytes: number;
  readonly maxVias: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMessageBytes: 65_535,
  maxHeaders: 128,
  maxHeaderLineBytes: 8_192,
  maxVias: 32,
};
