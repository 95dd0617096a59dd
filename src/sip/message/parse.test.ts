import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  INVITE,
  INVITE_LINES,
  OK_200,
  REGISTER,
  SAMPLES,
  SDP,
  mustFail,
  mustParse,
  mustParseRequest,
  sip,
} from './fixtures.test.js';
import { parseMessage } from './parse.js';
import { DEFAULT_PARSE_LIMITS } from './types.js';

/** INVITE_LINES with one header replaced (by name prefix), removed (null) or added. */
function inviteWith(changes: Record<string, string | null>, body = SDP): Buffer {
  const lines = INVITE_LINES.filter((l) => !Object.keys(changes).some((k) => l.startsWith(`${k}:`)));
  for (const value of Object.values(changes)) if (value !== null) lines.push(value);
  return sip(lines, body);
}

describe('parseMessage: messages that parse', () => {
  test('every sample message parses', () => {
    for (const sample of SAMPLES) mustParse(sample);
  });

  test('reads the request line and every parsed header of an INVITE', () => {
    const req = mustParseRequest(INVITE);
    assert.equal(req.method, 'INVITE');
    assert.equal(req.uri.user, '1001');
    assert.equal(req.vias.length, 1);
    assert.equal(req.vias[0]?.params.branch, 'z9hG4bK74bf9');
    assert.equal(req.maxForwards, 70);
    assert.equal(req.from.displayName, 'Alice');
    assert.equal(req.from.params.tag, '9fxced76sl');
    assert.equal(req.callId, '3848276298220188511@192.0.2.10');
    assert.deepEqual(req.cseq, { seq: 1, method: 'INVITE' });
    assert.equal(req.contacts[0]?.uri.params.transport, 'udp');
    assert.equal(req.contentType, 'application/sdp');
    assert.equal(req.body.toString(), SDP);
    assert.deepEqual(
      req.headers.map((h) => h.name),
      ['Allow', 'Supported', 'User-Agent'],
    );
  });

  test('reads a response with several Vias and Record-Route', () => {
    const res = mustParse(OK_200);
    assert.equal(res.kind, 'response');
    if (res.kind !== 'response') return;
    assert.equal(res.status, 200);
    assert.equal(res.reason, 'OK');
    assert.deepEqual(
      res.vias.map((v) => v.host),
      ['proxy.example.com', '192.0.2.10'],
    );
    assert.equal(res.recordRoutes[0]?.uri.params.lr, null);
    assert.equal(res.to.params.tag, '8321234356');
  });

  test('accepts bare LF line endings and a mix of LF and CRLF', () => {
    const lf = Buffer.from(`${INVITE_LINES.join('\n')}\n\n${SDP}`);
    assert.equal(mustParse(lf).body.toString(), SDP);
    const mixed = Buffer.from(
      `${INVITE_LINES.map((l, i) => l + (i % 2 ? '\n' : '\r\n')).join('')}\r\n${SDP}`,
    );
    assert.equal(mustParse(mixed).callId, '3848276298220188511@192.0.2.10');
  });

  test('ignores empty lines before the start line (RFC 3261 §7.5)', () => {
    mustParse(Buffer.concat([Buffer.from('\r\n\r\n\n'), INVITE]));
  });

  test('joins folded header lines with a single space', () => {
    const msg = mustParse(inviteWith({ Subject: 'Subject: first part\r\n   second\r\n\tthird' }));
    assert.equal(msg.headers.find((h) => h.name === 'Subject')?.value, 'first part second third');
  });

  test('expands compact header names and matches names in any case', () => {
    const msg = mustParse(
      sip([
        'OPTIONS sip:pbx.example.com SIP/2.0',
        'v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
        'f: <sip:a@example.com>;tag=1',
        't: <sip:pbx.example.com>',
        'i: abc@192.0.2.1',
        'CSEQ: 2 OPTIONS',
        'm: <sip:a@192.0.2.1>',
        'k: path',
        'l: 0',
      ]),
    );
    assert.equal(msg.callId, 'abc@192.0.2.1');
    assert.equal(msg.contacts.length, 1);
    assert.deepEqual(msg.headers, [{ name: 'Supported', value: 'path' }]);
  });

  test('keeps Via order across repeated lines and comma-separated values', () => {
    const msg = mustParse(
      inviteWith({
        Via: 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/TCP b.example.com;branch=z9hG4bKb\r\nVia: SIP/2.0/UDP c.example.com;branch=z9hG4bKc',
      }),
    );
    assert.deepEqual(
      msg.vias.map((v) => v.host),
      ['a.example.com', 'b.example.com', 'c.example.com'],
    );
  });

  test('collects Contacts, Routes and Record-Routes from repeated and list lines', () => {
    const msg = mustParse(
      inviteWith({
        Contact: 'Contact: <sip:a@x>;q=0.5, "B, b" <sip:b@y>\r\nm: sip:c@z;expires=30',
        Route: 'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
        'Record-Route': 'Record-Route: <sip:rr.example.com;lr>',
      }),
    );
    assert.deepEqual(
      msg.contacts.map((c) => c.uri.user),
      ['a', 'b', 'c'],
    );
    assert.equal(msg.contacts[1]?.displayName, 'B, b');
    assert.equal(msg.contacts[2]?.params.expires, '30');
    assert.equal(msg.routes.length, 2);
    assert.equal(msg.recordRoutes.length, 1);
  });

  test('reads Contact: * as the wildcard', () => {
    const msg = mustParse(
      sip([
        'REGISTER sip:pbx.example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
        'From: <sip:a@pbx.example.com>;tag=1',
        'To: <sip:a@pbx.example.com>',
        'Call-ID: c1',
        'CSeq: 9 REGISTER',
        'Contact: *',
        'Expires: 0',
        'Content-Length: 0',
      ]),
    );
    assert.equal(msg.contactWildcard, true);
    assert.deepEqual(msg.contacts, []);
  });

  test('keeps unknown headers raw, in order, including empty values', () => {
    const msg = mustParse(
      inviteWith({ 'X-A': 'X-A: 1', 'X-Empty': 'X-Empty:', 'X-B': 'x-b:   two  words  ' }),
    );
    assert.deepEqual(msg.headers.slice(-3), [
      { name: 'X-A', value: '1' },
      { name: 'X-Empty', value: '' },
      { name: 'x-b', value: 'two  words' },
    ]);
  });

  test('takes the rest of a datagram as body when Content-Length is absent', () => {
    assert.equal(mustParse(inviteWith({ 'Content-Length': null })).body.toString(), SDP);
  });

  test('drops datagram bytes beyond Content-Length (RFC 3261 §18.3)', () => {
    const msg = mustParse(Buffer.concat([INVITE, Buffer.from('trailing garbage')]));
    assert.equal(msg.body.toString(), SDP);
  });

  test('copies the body out of the receive buffer', () => {
    const buf = Buffer.from(INVITE);
    const msg = mustParse(buf);
    buf.fill(0);
    assert.equal(msg.body.toString(), SDP);
  });

  test('decodes UTF-8 in reason phrases and display names', () => {
    const res = mustParse(
      Buffer.from(
        'SIP/2.0 486 忙 Busy\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: "张三" <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    assert.equal(res.kind === 'response' && res.reason, '忙 Busy');
    assert.equal(res.from.displayName, '张三');
  });

  test('accepts a status line without a reason phrase and a Max-Forwards of 0', () => {
    const lines = OK_200.toString()
      .replace('SIP/2.0 200 OK', 'SIP/2.0 200')
      .replace('Content-Length', 'Max-Forwards: 0\r\nContent-Length');
    const res = mustParse(Buffer.from(lines));
    assert.equal(res.kind === 'response' && res.reason, '');
    assert.equal(res.maxForwards, 0);
  });

  test('accepts a response whose CSeq method differs from any request', () => {
    mustParse(Buffer.from(OK_200.toString().replace('CSeq: 1 INVITE', 'CSeq: 1 BYE')));
  });

  test('keeps method names case-sensitive (RFC 3261 §7.1)', () => {
    const req = mustParseRequest(
      Buffer.from(
        INVITE.toString().replace('INVITE sip', 'invite sip').replace('CSeq: 1 INVITE', 'CSeq: 1 invite'),
      ),
    );
    assert.equal(req.method, 'invite');
  });
});

describe('parseMessage: messages that do not parse', () => {
  test('names each missing mandatory header', () => {
    assert.equal(mustFail(inviteWith({ Via: null })), 'Missing Via header');
    assert.equal(mustFail(inviteWith({ From: null })), 'Missing From header');
    assert.equal(mustFail(inviteWith({ To: null })), 'Missing To header');
    assert.equal(mustFail(inviteWith({ 'Call-ID': null })), 'Missing Call-ID header');
    assert.equal(mustFail(inviteWith({ CSeq: null })), 'Missing CSeq header');
  });

  test('rejects a second copy of every single-valued header', () => {
    for (const [name, line] of [
      ['From', 'f: <sip:x@y>;tag=2'],
      ['To', 'TO: <sip:x@y>'],
      ['Call-ID', 'i: other'],
      ['CSeq', 'CSeq: 1 INVITE'],
      ['Content-Length', 'l: 0'],
      ['Max-Forwards', 'Max-Forwards: 69'],
      ['Content-Type', 'c: text/plain'],
    ] as const) {
      assert.equal(mustFail(inviteWith({ 'X-Dup': line })), `Duplicate ${name} header`);
    }
  });

  test('rejects a CSeq method that differs from the request method', () => {
    assert.equal(mustFail(inviteWith({ CSeq: 'CSeq: 1 BYE' })), 'CSeq method does not match request method');
  });

  test('rejects Max-Forwards outside 0-255 and malformed Content-Length', () => {
    assert.equal(mustFail(inviteWith({ 'Max-Forwards': 'Max-Forwards: 256' })), 'Bad Max-Forwards header');
    assert.equal(mustFail(inviteWith({ 'Max-Forwards': 'Max-Forwards: -1' })), 'Bad Max-Forwards header');
    assert.equal(
      mustFail(inviteWith({ 'Content-Length': 'Content-Length: -3' })),
      'Bad Content-Length header',
    );
    assert.equal(
      mustFail(inviteWith({ 'Content-Length': 'Content-Length: 12a' })),
      'Bad Content-Length header',
    );
  });

  test('rejects a body shorter than Content-Length', () => {
    assert.equal(
      mustFail(inviteWith({ 'Content-Length': 'Content-Length: 9999' })),
      'Content-Length mismatch',
    );
  });

  test('rejects bad start lines with specific reasons', () => {
    const rest = INVITE.toString().slice(INVITE.indexOf('\r\n'));
    const withStart = (start: string) => Buffer.from(start + rest);
    assert.equal(mustFail(withStart('INVITE sip:a@b SIP/3.0')), 'Unsupported SIP version');
    assert.equal(mustFail(withStart('INVITE  sip:a@b SIP/2.0')), 'Bad request line');
    assert.equal(mustFail(withStart('INVITE sip:a@b SIP/2.0 ')), 'Bad request line');
    assert.equal(mustFail(withStart('INV@TE sip:a@b SIP/2.0')), 'Bad request method');
    assert.equal(
      mustFail(withStart('INVITE http://a.example/ SIP/2.0')),
      'Unsupported URI scheme in Request-URI',
    );
    assert.equal(mustFail(withStart('SIP/2.0 099 Too Low')), 'Bad status line');
    assert.equal(mustFail(withStart('SIP/2.0 700 Too High')), 'Bad status line');
    assert.equal(mustFail(withStart('SIP/2.0 20 Short')), 'Bad status line');
    assert.equal(mustFail(withStart('SIP/2.0 2000 Long')), 'Bad status line');
    assert.equal(mustFail(withStart('SIP/1.0 200 OK')), 'Unsupported SIP version');
  });

  test('rejects header lines without a colon, bad names, and folding before any header', () => {
    assert.equal(mustFail(inviteWith({ 'X-A': 'no colon here' })), 'Bad header line');
    assert.equal(mustFail(inviteWith({ 'X-A': 'Bad Name: x' })), 'Bad header name');
    const folded = Buffer.from(INVITE.toString().replace('\r\nVia', '\r\n continued\r\nVia'));
    assert.equal(mustFail(folded), 'Bad header folding');
  });

  test('rejects control characters, a stray CR and invalid UTF-8 in headers', () => {
    assert.equal(mustFail(inviteWith({ 'X-A': 'X-A: a\u0000b' })), 'Invalid character in header');
    assert.equal(mustFail(inviteWith({ 'X-A': 'X-A: a\rb' })), 'Invalid character in header');
    const bad = Buffer.concat([
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nX-A: '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\r\n\r\n'),
    ]);
    assert.equal(mustFail(bad), 'Invalid UTF-8 in header');
  });

  test('enforces every parse limit', () => {
    const small = { ...DEFAULT_PARSE_LIMITS, maxHeaders: 5 };
    const many = parseMessage(INVITE, small);
    assert.equal(!many.ok && many.reason, 'Too many headers');
    const short = parseMessage(INVITE, { ...DEFAULT_PARSE_LIMITS, maxHeaderLineBytes: 40 });
    assert.equal(!short.ok && short.reason, 'Header line too long');
    const tiny = parseMessage(INVITE, { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: 100 });
    assert.equal(!tiny.ok && tiny.reason, 'Message too large');
    const vias = Array.from({ length: 5 }, (_, i) => `Via: SIP/2.0/UDP h${i};branch=z9hG4bK${i}`).join(
      '\r\n',
    );
    const chain = parseMessage(inviteWith({ Via: vias }), { ...DEFAULT_PARSE_LIMITS, maxVias: 4 });
    assert.equal(!chain.ok && chain.reason, 'Too many Via headers');
  });

  test('counts a folded line against the line limit as a whole', () => {
    const folded = inviteWith({ Subject: `Subject: ${'a'.repeat(30)}\r\n ${'b'.repeat(30)}` });
    const r = parseMessage(folded, { ...DEFAULT_PARSE_LIMITS, maxHeaderLineBytes: 50 });
    assert.equal(!r.ok && r.reason, 'Header line too long');
  });

  test('rejects an empty message and one that ends inside the headers', () => {
    assert.equal(mustFail(Buffer.alloc(0)), 'Empty message');
    assert.equal(mustFail(Buffer.from('\r\n\r\n')), 'Empty message');
    assert.equal(mustFail(INVITE.subarray(0, 200)), 'Incomplete header section');
  });
});

describe('parseMessage: what a failure salvages', () => {
  test('returns Via, From, To, Call-ID and CSeq of a request with another bad header', () => {
    const r = parseMessage(inviteWith({ 'Max-Forwards': 'Max-Forwards: lots' }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.reason, 'Bad Max-Forwards header');
    assert.equal(r.partial?.isRequest, true);
    assert.equal(r.partial?.vias?.[0]?.params.branch, 'z9hG4bK74bf9');
    assert.equal(r.partial?.from?.params.tag, '9fxced76sl');
    assert.equal(r.partial?.to?.uri.user, '1001');
    assert.equal(r.partial?.callId, '3848276298220188511@192.0.2.10');
    assert.deepEqual(r.partial?.cseq, { seq: 1, method: 'INVITE' });
  });

  test('salvages headers of a request whose Request-URI is unusable', () => {
    const r = parseMessage(
      Buffer.from(REGISTER.toString().replace('sip:pbx.example.com SIP', 'foo:bar SIP')),
    );
    assert.equal(!r.ok && r.reason, 'Unsupported URI scheme in Request-URI');
    assert.equal(!r.ok && r.partial?.callId, '843817637684230@998sdasdh09');
  });

  test('leaves out the Vias when any Via entry is bad, so no answer goes astray', () => {
    const r = parseMessage(
      inviteWith({ Via: 'Via: SIP/2.0/UDP ok.example.com;branch=z9hG4bK1, SIP/2.0/UDP bad host' }),
    );
    assert.equal(!r.ok && r.reason, 'Bad Via header');
    assert.equal(!r.ok && r.partial?.vias, undefined);
    assert.equal(!r.ok && r.partial?.callId, '3848276298220188511@192.0.2.10');
  });

  test('marks a broken response as not a request', () => {
    const r = parseMessage(Buffer.from(OK_200.toString().replace('Call-ID', 'X-Not-Call-ID')));
    assert.equal(!r.ok && r.partial?.isRequest, false);
  });
});
