/**
 * Constructors every layer uses: responses to requests (RFC 3261 §8.2.6), reason
 * phrases (§21 and later RFCs), and random identifiers for branches, tags and Call-IDs.
 */
import { randomBytes } from 'node:crypto';
import type { Header, NameAddr, SipRequest, SipResponse } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  199: 'Early Dialog Terminated',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  412: 'Conditional Request Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  417: 'Unknown Resource-Priority',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  428: 'Use Identity Header',
  429: 'Provide Referrer Identity',
  430: 'Flow Failed',
  433: 'Anonymity Disallowed',
  436: 'Bad Identity-Info',
  437: 'Unsupported Certificate',
  438: 'Invalid Identity Header',
  439: 'First Hop Lacks Outbound Support',
  440: 'Max-Breadth Exceeded',
  469: 'Bad Info Package',
  470: 'Consent Needed',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  493: 'Undecipherable',
  494: 'Security Agreement Required',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  555: 'Push Notification Service Not Supported',
  580: 'Precondition Failure',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
  607: 'Unwanted',
  608: 'Rejected',
};

const CLASS_PHRASES = [
  '',
  'Provisional',
  'Success',
  'Redirection',
  'Client Error',
  'Server Error',
  'Global Failure',
];

/** The registered reason phrase for a status, or a generic one for its class. */
export function reasonPhrase(status: number): string {
  return PHRASES[status] ?? CLASS_PHRASES[Math.floor(status / 100)] ?? 'Unknown';
}

export interface ResponseExtras {
  /** Added to To when the request's To has no tag (RFC 3261 §8.2.6.2). */
  readonly toTag?: string;
  readonly headers?: readonly Header[];
  readonly contacts?: readonly NameAddr[];
  readonly body?: Buffer;
  readonly contentType?: string;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * A response to `req` (RFC 3261 §8.2.6.2): Via, From, Call-ID and CSeq copied, To copied
 * with a tag added if given and none present. Record-Route is copied into 101-299
 * responses, the ones that can establish a dialog (§12.1.1); a 100 carries the request's
 * Timestamp (§8.2.6.1).
 */
export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  extra: ResponseExtras = {},
): SipResponse {
  const to =
    extra.toTag !== undefined && req.to.params.tag === undefined
      ? { ...req.to, params: { ...req.to.params, tag: extra.toTag } }
      : req.to;
  const headers: Header[] = [];
  if (status === 100) {
    const timestamp = req.headers.find((h) => h.name.toLowerCase() === 'timestamp');
    if (timestamp !== undefined) headers.push(timestamp);
  }
  if (extra.headers !== undefined) headers.push(...extra.headers);
  const res: Mutable<SipResponse> = {
    kind: 'response',
    status,
    reason: reason ?? reasonPhrase(status),
    vias: req.vias,
    from: req.from,
    to,
    callId: req.callId,
    cseq: req.cseq,
    contacts: extra.contacts ?? [],
    routes: [],
    recordRoutes: status > 100 && status < 300 ? req.recordRoutes : [],
    headers,
    body: extra.body ?? EMPTY_BODY,
  };
  if (extra.contentType !== undefined) res.contentType = extra.contentType;
  return res;
}

/**
 * Random ids from a pooled crypto.randomBytes buffer: one system call per 4 KiB of ids
 * instead of one per id, since branches and tags are made on every transaction.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomId(bytes: number): string {
  if (poolOffset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const id = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return id;
}

/** A Via branch with the RFC 3261 magic cookie (§8.1.1.7) and 96 random bits. */
export function newBranch(): string {
  return `z9hG4bK${randomId(12)}`;
}

/** A From/To tag with 64 random bits (§19.3 asks for at least 32). */
export function newTag(): string {
  return randomId(8);
}

/** A Call-ID with 128 random bits (§8.1.1.4: globally unique). */
export function newCallId(): string {
  return randomId(16);
}
