/**
 * A deterministic corpus of malformed and hostile SIP messages, for robustness tests that
 * throw them at a running Hotline. Every message is built from a valid INVITE or REGISTER
 * and then broken in one way, or is plain garbage; randomness comes from a seeded PRNG, so
 * a failure names a message that the next run builds byte for byte again.
 *
 * Each message says what an RFC 3261 server should do with it over a datagram transport:
 * - `answer`: its Via, From, To, Call-ID and CSeq are readable, so it must get a final
 *   4xx (§8.2, §21.4) — `statuses` narrows it down when the RFC names one;
 * - `silence`: there is no readable Via to answer to (§18.2.2), or it is a response or an
 *   ACK (§17.2.3), or it comes from a scanner Hotline is configured to ignore;
 * - `either`: dropping is as correct as a 400 (a header section that never ends, a
 *   limit exceeded, a From the answer could not copy); if answered, it must be a 4xx.
 */
import { DEFAULT_FRAMER_LIMITS } from '../../../src/sip/message/index.js';

export const CATEGORIES = [
  'truncated',
  'oversized',
  'content-length',
  'invalid-uri',
  'missing-header',
  'duplicate-header',
  'cseq-mismatch',
  'max-forwards',
  'via-chain',
  'binary',
  'sip-version',
  'nonsense',
] as const;
export type HostileCategory = (typeof CATEGORIES)[number];

export type Expectation =
  | { readonly kind: 'answer'; readonly statuses?: readonly number[] }
  | { readonly kind: 'silence' }
  | { readonly kind: 'either' };

export interface HostileMessage {
  /** Unique and stable across runs, e.g. `truncated/invite@137`. */
  readonly id: string;
  readonly category: HostileCategory;
  readonly bytes: Buffer;
  readonly expect: Expectation;
  /** The Call-ID an answer must carry (the first one the message holds). */
  readonly callId?: string;
}

export interface CorpusOptions {
  /** Written into every Via sent-protocol. */
  readonly transport: 'UDP' | 'TCP';
  /** Two letters that keep Call-IDs and branches of different runs apart. */
  readonly run: string;
  readonly seed?: number;
}

/** xorshift32: small, fast and good enough to pick offsets and garbage bytes. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

type HeaderLine = [name: string, value: string];

/** A message before rendering; `contentLength` 'auto' writes the body length, null none. */
interface Draft {
  startLine: string;
  headers: HeaderLine[];
  body: Buffer;
  contentLength: 'auto' | null | readonly string[];
  callId: string;
}

const ANSWER: Expectation = { kind: 'answer' };
const SILENCE: Expectation = { kind: 'silence' };
const EITHER: Expectation = { kind: 'either' };
const status = (...statuses: number[]): Expectation => ({ kind: 'answer', statuses });
const BAD_REQUEST = status(400);
const CHALLENGE = status(401);

const SDP = [
  'v=0',
  'o=robust 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

/** Headers are written as latin1, so a string holding U+0000-U+00FF is exactly its bytes. */
function render(d: Draft): Buffer {
  const cl = d.contentLength === 'auto' ? [String(d.body.length)] : (d.contentLength ?? []);
  const lines = [
    d.startLine,
    ...d.headers.map(([n, v]) => `${n}: ${v}`),
    ...cl.map((v) => `Content-Length: ${v}`),
  ];
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), d.body]);
}

function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

class Builder {
  readonly out: HostileMessage[] = [];
  private n = 0;
  constructor(
    private readonly opts: CorpusOptions,
    readonly rng: () => number,
  ) {}

  private ids() {
    const n = String(++this.n).padStart(4, '0');
    const r = this.opts.run;
    return { callId: `robust-${r}-${n}@hostile.test`, branch: `z9hG4bK-${r}-${n}`, tag: `t${r}${n}` };
  }

  /** A top Via of our sent-protocol, with `params` as written (e.g. `;branch=…;rport`). */
  via(params: string): string {
    return `SIP/2.0/${this.opts.transport} 127.0.0.1:5060${params}`;
  }

  /** A valid but unauthenticated INVITE to the echo test, with SDP. */
  invite(): Draft {
    const id = this.ids();
    return {
      startLine: 'INVITE sip:*43@127.0.0.1 SIP/2.0',
      headers: [
        ['Via', this.via(`;branch=${id.branch};rport`)],
        ['Max-Forwards', '70'],
        ['From', `"Robust" <sip:1001@127.0.0.1>;tag=${id.tag}`],
        ['To', '<sip:*43@127.0.0.1>'],
        ['Call-ID', id.callId],
        ['CSeq', '1 INVITE'],
        ['Contact', '<sip:1001@127.0.0.1:5060>'],
        ['User-Agent', 'hotline-robustness'],
        ['Content-Type', 'application/sdp'],
      ],
      body: Buffer.from(SDP, 'latin1'),
      contentLength: 'auto',
      callId: id.callId,
    };
  }

  /** A valid but unauthenticated REGISTER for 1001. */
  register(): Draft {
    const id = this.ids();
    return {
      startLine: 'REGISTER sip:127.0.0.1 SIP/2.0',
      headers: [
        ['Via', this.via(`;branch=${id.branch};rport`)],
        ['Max-Forwards', '70'],
        ['From', `<sip:1001@127.0.0.1>;tag=${id.tag}`],
        ['To', '<sip:1001@127.0.0.1>'],
        ['Call-ID', id.callId],
        ['CSeq', '1 REGISTER'],
        ['Contact', '<sip:1001@127.0.0.1:5060>'],
        ['Expires', '3600'],
        ['User-Agent', 'hotline-robustness'],
      ],
      body: Buffer.alloc(0),
      contentLength: 'auto',
      callId: id.callId,
    };
  }

  /** A body-less request of any method; `toTag` puts it inside a (non-existent) dialog. */
  request(method: string, toTag?: string): Draft {
    const d = this.register();
    d.startLine = `${method} sip:*43@127.0.0.1 SIP/2.0`;
    set(d, 'To', `<sip:*43@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`);
    set(d, 'CSeq', `1 ${method}`);
    set(d, 'Expires', null);
    return d;
  }

  add(category: HostileCategory, what: string, expect: Expectation, msg: Draft | Buffer): void {
    const bytes = Buffer.isBuffer(msg) ? msg : render(msg);
    // Only a Call-ID the message really carries (first of its kind) can be expected back.
    const callId = Buffer.isBuffer(msg) ? undefined : msg.headers.find(([n]) => n === 'Call-ID')?.[1];
    this.out.push({ id: `${category}/${what}`, category, bytes, expect, ...(callId ? { callId } : {}) });
  }

  random(length: number, from = 0, to = 256): Buffer {
    const b = Buffer.alloc(length);
    for (let i = 0; i < length; i++) b[i] = from + Math.floor(this.rng() * (to - from));
    return b;
  }
}

/** Replaces the first header of that name (null removes it); appends it when absent. */
function set(d: Draft, name: string, value: string | null): Draft {
  const i = d.headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (value === null) {
    if (i >= 0) d.headers.splice(i, 1);
  } else if (i >= 0) d.headers[i] = [name, value];
  else d.headers.push([name, value]);
  return d;
}

function add(d: Draft, name: string, value: string, at = d.headers.length): Draft {
  d.headers.splice(at, 0, [name, value]);
  return d;
}

function value(d: Draft, name: string): string {
  return d.headers.find(([n]) => n === name)?.[1] ?? '';
}

/** Cuts valid messages short at many offsets; only a cut inside the body leaves them readable. */
function truncations(b: Builder): void {
  for (const [kind, make] of [
    ['invite', () => b.invite()],
    ['register', () => b.register()],
  ] as const) {
    const probe = render(make());
    const offsets = new Set<number>();
    for (let o = 1; o < probe.length; o += 7) offsets.add(o);
    for (let i = 0; i < 12; i++) offsets.add(1 + Math.floor(b.rng() * (probe.length - 1)));
    for (const o of [...offsets].sort((x, y) => x - y)) {
      const full = make();
      const bytes = render(full);
      const headerEnd = bytes.indexOf('\r\n\r\n') + 4;
      const viaEnd = bytes.indexOf('\r\n', bytes.indexOf('Via:')) + 2;
      const expect = o >= headerEnd ? BAD_REQUEST : o < viaEnd ? SILENCE : EITHER;
      b.add('truncated', `${kind}@${o}`, expect, Buffer.from(bytes.subarray(0, o)));
    }
  }
}

function oversized(b: Builder): void {
  const big = (n: number) => Buffer.from('v=0\r\n' + 'a=x:' + 'y'.repeat(n) + '\r\n', 'latin1');
  b.add('oversized', 'body-70k', EITHER, { ...b.invite(), body: big(70_000) });
  b.add('oversized', 'body-60k', CHALLENGE, { ...b.invite(), body: big(60_000) });
  b.add('oversized', 'header-line-100k', EITHER, add(b.invite(), 'X-Padding', 'p'.repeat(100_000)));
  b.add('oversized', 'header-line-9k', EITHER, add(b.invite(), 'X-Padding', 'p'.repeat(9_000)));
  b.add('oversized', 'header-line-8k', CHALLENGE, add(b.invite(), 'X-Padding', 'p'.repeat(8_000)));
  for (const count of [5000, 200]) {
    const d = b.invite();
    for (let i = 0; i < count; i++) add(d, `X-${i}`, '0');
    b.add('oversized', `headers-${count}`, EITHER, d);
  }
  const longCallId = b.invite();
  set(longCallId, 'Call-ID', (longCallId.callId = `${longCallId.callId}-${'c'.repeat(8000)}`));
  b.add('oversized', 'call-id-8k', CHALLENGE, longCallId);
  const longUser = b.invite();
  longUser.startLine = `INVITE sip:${'9'.repeat(8000)}@127.0.0.1 SIP/2.0`;
  b.add('oversized', 'request-uri-8k', CHALLENGE, longUser);
  b.add(
    'oversized',
    'display-name-8k',
    EITHER,
    set(b.invite(), 'From', `"${'d'.repeat(8000)}" <sip:1@x>;tag=1`),
  );
  const params = b.invite();
  set(params, 'Via', value(params, 'Via') + ';x'.repeat(2000));
  b.add('oversized', 'via-params-2000', EITHER, params);
}

function contentLengths(b: Builder): void {
  const bad = ['-1', '-5', 'abc', '', '1e3', '0x10', '12abc', '+5', '5 5', '99999999999', '4294967296'];
  for (const v of bad) {
    b.add('content-length', `invite-${v || 'empty'}`, BAD_REQUEST, { ...b.invite(), contentLength: [v] });
  }
  for (const v of ['-1', 'abc', '1', '99999999999']) {
    b.add('content-length', `register-${v}`, BAD_REQUEST, { ...b.register(), contentLength: [v] });
  }
  const bodyLength = Buffer.byteLength(SDP);
  for (const delta of [1, 100, 60_000]) {
    const v = String(bodyLength + delta);
    b.add('content-length', `larger-by-${delta}`, BAD_REQUEST, { ...b.invite(), contentLength: [v] });
  }
  // RFC 3261 §18.3: bytes past Content-Length are discarded; what remains is a valid INVITE.
  for (const delta of [1, 50]) {
    const v = String(bodyLength - delta);
    b.add('content-length', `smaller-by-${delta}`, CHALLENGE, { ...b.invite(), contentLength: [v] });
  }
  const len = String(bodyLength);
  b.add('content-length', 'duplicated-same', BAD_REQUEST, { ...b.invite(), contentLength: [len, len] });
  b.add('content-length', 'duplicated-differ', BAD_REQUEST, { ...b.invite(), contentLength: [len, '0'] });
  b.add('content-length', 'long-and-compact', BAD_REQUEST, add(b.invite(), 'l', len));
  b.add('content-length', 'register-duplicated', BAD_REQUEST, { ...b.register(), contentLength: ['0', '0'] });
  // Optional on datagrams (§18.3), where the body is the rest of the packet.
  b.add('content-length', 'invite-missing', CHALLENGE, { ...b.invite(), contentLength: null });
  b.add('content-length', 'register-missing', CHALLENGE, { ...b.register(), contentLength: null });
  b.add('content-length', 'leading-zeros', CHALLENGE, {
    ...b.invite(),
    contentLength: ['0'.repeat(20) + len],
  });
  b.add('content-length', 'register-body-unannounced', CHALLENGE, {
    ...b.register(),
    body: Buffer.from('garbage after a zero Content-Length'),
    contentLength: ['0'],
  });
}

function invalidUris(b: Builder): void {
  const requestUris = [
    '',
    'sip:',
    'sip:@127.0.0.1',
    'sip:1001@',
    'sip:1001@[::1',
    'sip:1001@127.0.0.1:99999',
    'sip:1001@127.0.0.1:port',
    'sip:1001@127.0.0.1:-1',
    'http://example.com/',
    'mailto:x@example.com',
    'sip:1001@127.0.0.1;;;=',
    'sip:%zz@127.0.0.1',
    'sip:a b@127.0.0.1',
    '<sip:1001@127.0.0.1>',
    'sip:1001@127.0.0.1?',
    'tel:',
    '*',
    'sip:1001@-bad-.',
    'sip:1001@999.999.999.999',
    'sips:1001@127.0.0.1;transport=',
  ];
  for (const [i, uri] of requestUris.entries()) {
    const d = i % 2 === 0 ? b.invite() : b.register();
    d.startLine = `${d.startLine.split(' ')[0]} ${uri} SIP/2.0`;
    b.add('invalid-uri', `request-uri-${i}:${uri}`, ANSWER, d);
  }
  const addresses = [
    'garbage',
    '<sip:>',
    '<sip:1001@127.0.0.1',
    '"unterminated <sip:1001@127.0.0.1>',
    '<>',
    '<http://example.com>;tag=1',
    '<sip:1001@127.0.0.1>;tag=a;tag=b',
    '',
    'sip:1001@127.0.0.1;tag',
  ];
  for (const header of ['From', 'To']) {
    for (const [i, addr] of addresses.entries()) {
      b.add('invalid-uri', `${header.toLowerCase()}-${i}:${addr}`, EITHER, set(b.invite(), header, addr));
    }
  }
  for (const [i, contact] of ['<sip:1001@127.0.0.1', 'sip:', '<sip:1001@127.0.0.1>;expires=x;;'].entries()) {
    b.add('invalid-uri', `contact-${i}`, ANSWER, set(b.register(), 'Contact', contact));
  }
}

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

function headerPresence(b: Builder): void {
  for (const [kind, make] of [
    ['invite', () => b.invite()],
    ['register', () => b.register()],
  ] as const) {
    for (const name of MANDATORY) {
      // Without From, To, Call-ID or CSeq there is nothing to copy into an answer (§8.2.6.2).
      const missing = name === 'Via' ? SILENCE : EITHER;
      b.add('missing-header', `${kind}-no-${name}`, missing, set(make(), name, null));
      const empty = name === 'Via' ? SILENCE : EITHER;
      b.add('missing-header', `${kind}-empty-${name}`, empty, set(make(), name, ''));
      if (name === 'Via') continue;
      const same = make();
      b.add('duplicate-header', `${kind}-${name}-same`, BAD_REQUEST, add(same, name, value(same, name)));
      const other = make();
      const alt = name === 'CSeq' ? `2 ${value(other, 'CSeq').split(' ')[1]}` : `${value(other, name)}x`;
      b.add('duplicate-header', `${kind}-${name}-differ`, BAD_REQUEST, add(other, name, alt));
    }
    const none = make();
    for (const name of MANDATORY) set(none, name, null);
    b.add('missing-header', `${kind}-none-of-five`, SILENCE, none);
    b.add('missing-header', `${kind}-no-max-forwards`, ANSWER, set(make(), 'Max-Forwards', null));
    b.add('duplicate-header', `${kind}-max-forwards`, BAD_REQUEST, add(make(), 'Max-Forwards', '69'));
    // Via is a list header (§7.3.1): two identical entries are legal syntax.
    const twoVias = make();
    b.add('duplicate-header', `${kind}-via-twice`, ANSWER, add(twoVias, 'Via', value(twoVias, 'Via'), 0));
  }
  b.add(
    'duplicate-header',
    'invite-content-type',
    BAD_REQUEST,
    add(b.invite(), 'Content-Type', 'text/plain'),
  );
  b.add(
    'missing-header',
    'only-request-line',
    SILENCE,
    Buffer.from('INVITE sip:*43@127.0.0.1 SIP/2.0\r\n\r\n'),
  );
}

function cseqs(b: Builder): void {
  const mismatched: Array<[string, () => Draft, string]> = [
    ['invite-as-register', () => b.invite(), '1 REGISTER'],
    ['invite-as-bye', () => b.invite(), '1 BYE'],
    ['invite-lowercase', () => b.invite(), '1 invite'],
    ['register-as-invite', () => b.register(), '1 INVITE'],
    ['register-as-options', () => b.register(), '7 OPTIONS'],
    ['bye-as-invite', () => b.request('BYE', 'nodialog'), '2 INVITE'],
  ];
  for (const [what, make, v] of mismatched) b.add('cseq-mismatch', what, BAD_REQUEST, set(make(), 'CSeq', v));
  // §17.2.3: an ACK is never answered, even one that is really a broken INVITE.
  b.add('cseq-mismatch', 'invite-as-ack', EITHER, set(b.invite(), 'CSeq', '1 ACK'));
  for (const v of [
    'abc INVITE',
    '1',
    '-1 INVITE',
    '4294967296 INVITE',
    '1 INVITE extra',
    '1  ',
    'INVITE 1',
  ]) {
    b.add('cseq-mismatch', `unreadable:${JSON.stringify(v)}`, EITHER, set(b.invite(), 'CSeq', v));
  }
}

function maxForwards(b: Builder): void {
  // §16.3 step 3 / §8.2: no hops left.
  const zero: Array<[string, Draft]> = [
    ['invite', b.invite()],
    ['register', b.register()],
    ['options', b.request('OPTIONS')],
    ['bye-in-dialog', b.request('BYE', 'nodialog')],
  ];
  for (const [what, d] of zero)
    b.add('max-forwards', `zero-${what}`, status(483), set(d, 'Max-Forwards', '0'));
  for (const v of ['abc', '-1', '256', '70 70', '', '1.5', '0x10', '99999', '7O']) {
    b.add('max-forwards', `bad:${v}`, BAD_REQUEST, set(b.invite(), 'Max-Forwards', v));
  }
  b.add('max-forwards', 'one', CHALLENGE, set(b.invite(), 'Max-Forwards', '1'));
  b.add('max-forwards', 'leading-zeros', CHALLENGE, set(b.invite(), 'Max-Forwards', '00070'));
}

function viaChains(b: Builder): void {
  const hop = (i: number) => `SIP/2.0/UDP 10.${(i >> 8) & 255}.${i & 255}.1:5060;branch=z9hG4bK-hop-${i}`;
  const chain = (count: number, perLine: number): Draft => {
    const d = b.invite();
    for (let i = 0; i < count; i += perLine) {
      const entries = Array.from({ length: Math.min(perLine, count - i) }, (_, k) => hop(i + k));
      add(d, 'Via', entries.join(', '));
    }
    return d;
  };
  b.add('via-chain', '1000-lines', EITHER, chain(1000, 1));
  b.add('via-chain', '1000-in-one-header', EITHER, chain(1000, 1000));
  b.add('via-chain', '1000-in-34-headers', EITHER, chain(1000, 30));
  b.add('via-chain', '40-lines', EITHER, chain(40, 1));
  b.add('via-chain', '20-lines', CHALLENGE, chain(20, 1));
  const bad = [
    'garbage',
    'SIP/2.0/UDP',
    'SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bKx',
    'SIP/3.0/UDP 127.0.0.1:5060;branch=z9hG4bKx',
    'SIP/2.0/UDP 127.0.0.1:5060;branch=',
    'SIP/2.0/UDP [::1:5060;branch=z9hG4bKx',
    'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx, garbage',
  ];
  for (const [i, v] of bad.entries())
    b.add('via-chain', `bad-top-via-${i}:${v}`, SILENCE, set(b.invite(), 'Via', v));
  // A received/rport we did not write must not redirect the answer (RFC 3581 §4).
  const spoof = b.invite();
  set(spoof, 'Via', value(spoof, 'Via') + '=1;received=192.0.2.1');
  b.add('via-chain', 'spoofed-received-rport', CHALLENGE, spoof);
  b.add('via-chain', 'rfc2543-no-branch', CHALLENGE, set(b.invite(), 'Via', b.via(';rport')));
}

/** Inserts a NUL byte into the value of a header (or the request line when name is ''). */
function withNul(d: Draft, name: string): Draft {
  if (name === '') d.startLine = d.startLine.replace(' SIP', '\0 SIP');
  else set(d, name, value(d, name).replace(/(.{6})/, '$1\0'));
  return d;
}

function binary(b: Builder): void {
  for (let i = 0; i < 30; i++) {
    b.add('binary', `garbage-${i}`, SILENCE, b.random(1 + Math.floor(b.rng() * 1500)));
  }
  for (let i = 0; i < 10; i++) {
    b.add('binary', `printable-${i}`, SILENCE, b.random(10 + Math.floor(b.rng() * 800), 0x20, 0x7f));
  }
  for (let i = 0; i < 5; i++) {
    const prefix = Buffer.from('INVITE sip:*43@127.0.0.1 SIP/2.0\r\n');
    b.add('binary', `request-line-then-garbage-${i}`, SILENCE, Buffer.concat([prefix, b.random(400)]));
  }
  b.add('binary', 'nul-in-request-line', EITHER, withNul(b.invite(), ''));
  b.add('binary', 'nul-in-via', SILENCE, withNul(b.invite(), 'Via'));
  for (const name of ['From', 'Call-ID', 'User-Agent']) {
    b.add('binary', `nul-in-${name}`, EITHER, withNul(b.invite(), name));
  }
  b.add('binary', 'nul-bytes-in-body', CHALLENGE, { ...b.invite(), body: b.random(300) });
  b.add('binary', 'invalid-utf8-header', EITHER, add(b.invite(), 'Subject', 'caf\xe9 \xff\xfe'));
  b.add(
    'binary',
    'utf8-display-name',
    CHALLENGE,
    set(b.invite(), 'From', utf8('"呼叫中心 ☎" <sip:1001@127.0.0.1>;tag=u8')),
  );
  b.add('binary', 'stray-cr', EITHER, add(b.invite(), 'Subject', 'a\rb'));
  b.add('binary', 'del-char', EITHER, add(b.invite(), 'Subject', 'a\x7fb'));
  // §7.5 asks for CRLF, but bare LF line endings are commonly tolerated; the body is kept as is.
  const lf = b.invite();
  const crlf = render(lf);
  const head = crlf.indexOf('\r\n\r\n') + 4;
  const lfHead = crlf.toString('latin1', 0, head).replaceAll('\r\n', '\n');
  b.add(
    'binary',
    'lf-line-endings',
    CHALLENGE,
    Buffer.concat([Buffer.from(lfHead, 'latin1'), crlf.subarray(head)]),
  );
  const bom = b.invite();
  b.add('binary', 'leading-bom', EITHER, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), render(bom)]));
  const fixed: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['crlfs', Buffer.from('\r\n\r\n\r\n\r\n')],
    ['lf', Buffer.from('\n')],
    ['http-get', Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')],
    ['tls-client-hello', Buffer.from('160301002e0100002a0303' + '00'.repeat(32) + '000002002f0100', 'hex')],
    ['stun-binding', Buffer.from('000100002112a442' + 'aabbccddeeff001122334455', 'hex')],
    ['nul-bytes', Buffer.alloc(512)],
    ['ff-bytes', Buffer.alloc(512, 0xff)],
  ];
  for (const [what, bytes] of fixed) b.add('binary', what, SILENCE, bytes);
}

function versions(b: Builder): void {
  // RFC 3261 §21.5.7 names 505 for a version the server does not support.
  const unsupported = status(400, 505);
  for (const v of ['SIP/3.0', 'SIP/1.0', 'SIP/2.1', 'SIP/20', 'SIP/2.0.0']) {
    b.add(
      'sip-version',
      `invite-${v}`,
      unsupported,
      Object.assign(b.invite(), { startLine: `INVITE sip:*43@127.0.0.1 ${v}` }),
    );
    b.add(
      'sip-version',
      `register-${v}`,
      unsupported,
      Object.assign(b.register(), { startLine: `REGISTER sip:127.0.0.1 ${v}` }),
    );
  }
  b.add(
    'sip-version',
    'http-version',
    BAD_REQUEST,
    Object.assign(b.invite(), { startLine: 'INVITE sip:*43@127.0.0.1 HTTP/1.1' }),
  );
  b.add(
    'sip-version',
    'no-version',
    BAD_REQUEST,
    Object.assign(b.invite(), { startLine: 'INVITE sip:*43@127.0.0.1' }),
  );
  // §7.1: SIP-Version is case-insensitive.
  b.add(
    'sip-version',
    'lowercase',
    CHALLENGE,
    Object.assign(b.invite(), { startLine: 'INVITE sip:*43@127.0.0.1 sip/2.0' }),
  );
  b.add('sip-version', 'response-3.0', SILENCE, Object.assign(b.invite(), { startLine: 'SIP/3.0 200 OK' }));
}

function nonsense(b: Builder): void {
  const noDialog = status(481);
  b.add('nonsense', 'bye-unknown-dialog', noDialog, b.request('BYE', 'nodialog'));
  b.add('nonsense', 'bye-without-to-tag', noDialog, b.request('BYE'));
  b.add('nonsense', 'cancel-for-nothing', noDialog, b.request('CANCEL'));
  b.add('nonsense', 'cancel-with-to-tag', noDialog, b.request('CANCEL', 'nodialog'));
  b.add('nonsense', 'ack-for-nothing', SILENCE, b.request('ACK'));
  b.add('nonsense', 'ack-unknown-dialog', SILENCE, b.request('ACK', 'nodialog'));
  for (const m of ['INVITE', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'MESSAGE']) {
    b.add('nonsense', `${m.toLowerCase()}-unknown-dialog`, noDialog, b.request(m, 'nodialog'));
  }
  for (const m of ['INFO', 'UPDATE', 'PRACK', 'NOTIFY', 'MESSAGE', 'PUBLISH', 'FOOBAR', 'invite']) {
    b.add('nonsense', `${m}-out-of-dialog`, status(405), b.request(m));
  }
  // SUBSCRIBE is served for message-summary only: without an Event header, 489 (RFC 6665 §8.2.1).
  b.add('nonsense', 'SUBSCRIBE-out-of-dialog', status(489), b.request('SUBSCRIBE'));
  b.add('nonsense', 'options-require', status(420), set(b.request('OPTIONS'), 'Require', 'foo'));
  b.add('nonsense', 'invite-require', status(420), set(b.invite(), 'Require', 'bar, baz'));
  const sdp: Array<[string, Buffer]> = [
    ['random-text', b.random(600, 0x20, 0x7f)],
    ['random-bytes', b.random(600)],
    ['v0-only', Buffer.from('v=0\r\n')],
    ['bad-port-and-ip', Buffer.from(SDP.replace('40000', '99999').replaceAll('127.0.0.1', '999.1.1.1'))],
    ['m-line-flood', Buffer.from('v=0\r\n' + 'm=audio 1 RTP/AVP 0\r\n'.repeat(500))],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [what, body] of sdp)
    b.add('nonsense', `invite-garbage-sdp-${what}`, CHALLENGE, { ...b.invite(), body });
  const json = set(b.invite(), 'Content-Type', 'application/json');
  b.add('nonsense', 'invite-json-body', status(401, 415), { ...json, body: Buffer.from('{"sdp":false}') });
  // §10.3 step 6 would refuse Contact: * with a non-zero Expires, but authentication comes first.
  const wildcard = (expires: string) => set(set(b.register(), 'Contact', '*'), 'Expires', expires);
  b.add('nonsense', 'register-wildcard-3600', status(400, 401), wildcard('3600'));
  b.add('nonsense', 'register-wildcard-0', CHALLENGE, wildcard('0'));
  b.add('nonsense', 'register-wildcard-and-contact', BAD_REQUEST, add(wildcard('0'), 'Contact', '<sip:1@x>'));
  b.add('nonsense', 'register-expires-negative', CHALLENGE, set(b.register(), 'Expires', '-1'));
  b.add('nonsense', 'register-unknown-user', CHALLENGE, set(b.register(), 'To', '<sip:9999@127.0.0.1>'));
  for (const [what, line] of [
    ['200-invite', 'SIP/2.0 200 OK'],
    ['180', 'SIP/2.0 180 Ringing'],
    ['487', 'SIP/2.0 487 Request Terminated'],
    ['100', 'SIP/2.0 100 Trying'],
  ]) {
    b.add('nonsense', `stray-response-${what}`, SILENCE, Object.assign(b.invite(), { startLine: line }));
  }
  // Hotline drops known scanners silently (security.rejectScanners).
  b.add('nonsense', 'scanner-invite', SILENCE, set(b.invite(), 'User-Agent', 'friendly-scanner'));
  b.add('nonsense', 'scanner-options', SILENCE, set(b.request('OPTIONS'), 'User-Agent', 'sipvicious'));
}

/** The whole corpus, in a stable order. */
export function hostileCorpus(opts: CorpusOptions): HostileMessage[] {
  const b = new Builder(opts, seededRandom(opts.seed ?? 0x5eed_5119));
  for (const part of [
    truncations,
    oversized,
    contentLengths,
    invalidUris,
    headerPresence,
    cseqs,
    maxForwards,
    viaChains,
    binary,
    versions,
    nonsense,
  ]) {
    part(b);
  }
  return b.out;
}

export type StreamFraming = 'complete' | 'trailing' | 'incomplete' | 'invalid';

/**
 * How a message fares on a stream, where Content-Length is mandatory (RFC 3261 §18.3):
 * `complete` is exactly one message; `trailing` one message then bytes of the next;
 * `incomplete` waits for more bytes; `invalid` cannot be framed (no, bad or repeated
 * Content-Length, or over the framer's size limits) and must cost the connection.
 */
export function streamFraming(bytes: Buffer, limits = DEFAULT_FRAMER_LIMITS): StreamFraming {
  let start = 0;
  while (bytes[start] === 0x0a || (bytes[start] === 0x0d && bytes[start + 1] === 0x0a)) start++;
  const text = bytes.toString('latin1', start);
  const end = /\n\r?\n/.exec(text);
  if (!end) return text.length > limits.maxHeaderBytes ? 'invalid' : 'incomplete';
  const headerBytes = end.index + end[0].length;
  if (headerBytes > limits.maxHeaderBytes) return 'invalid';
  const lengths = text
    .slice(0, end.index)
    .split('\n')
    .map((line) => /^(content-length|l)[ \t]*:(.*)$/i.exec(line.replace(/\r$/, ''))?.[2]?.trim())
    .filter((v) => v !== undefined);
  // 1*DIGIT: leading zeros are legal; more than ten significant digits exceeds any limit.
  const digits = (lengths[0] ?? '').replace(/^0+(?=\d)/, '');
  const length = lengths.length === 1 && /^\d{1,10}$/.test(digits) ? Number(digits) : NaN;
  if (Number.isNaN(length) || headerBytes + length > limits.maxMessageBytes) return 'invalid';
  const available = text.length - headerBytes;
  return length === available ? 'complete' : length < available ? 'trailing' : 'incomplete';
}

/** A valid, unauthenticated REGISTER (the server answers 401), for slow-drip and stall tests. */
export function validRegister(opts: CorpusOptions): { bytes: Buffer; callId: string } {
  const d = new Builder(opts, seededRandom(opts.seed ?? 1)).register();
  return { bytes: render(d), callId: d.callId };
}
