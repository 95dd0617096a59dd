import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVITE, OK_200, REGISTER, SAMPLES, SDP, mustParse } from './fixtures.test.js';
import { parseMessage } from './parse.js';
import { serializeMessage } from './serialize.js';
import type { SipMessage, SipRequest } from './types.js';

function lines(msg: SipMessage): string[] {
  const text = serializeMessage(msg).toString();
  return text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
}

describe('serializeMessage', () => {
  test('writes headers in the documented order with Content-Length last', () => {
    const msg = mustParse(INVITE);
    assert.deepEqual(
      lines(msg).map((l) => l.slice(0, l.indexOf(':'))),
      [
        'INVITE sip',
        'Via',
        'Max-Forwards',
        'From',
        'To',
        'Call-ID',
        'CSeq',
        'Contact',
        'Allow',
        'Supported',
        'User-Agent',
        'Content-Type',
        'Content-Length',
      ],
    );
  });

  test('writes one line per Via and joins Record-Route entries on one line', () => {
    const res = mustParse(OK_200);
    const out = lines({ ...res, recordRoutes: [...res.recordRoutes, ...res.recordRoutes] });
    assert.equal(out.filter((l) => l.startsWith('Via: ')).length, 2);
    assert.ok(out.includes('Record-Route: <sip:proxy.example.com;lr>, <sip:proxy.example.com;lr>'));
  });

  test('computes Content-Length from the body, ignoring any stale copy in headers', () => {
    const msg = mustParse(INVITE);
    const body = Buffer.from('short');
    const out = lines({ ...msg, body, headers: [...msg.headers, { name: 'content-length', value: '999' }] });
    assert.deepEqual(
      out.filter((l) => l.toLowerCase().startsWith('content-length')),
      ['Content-Length: 5'],
    );
    assert.ok(
      serializeMessage({ ...msg, body })
        .subarray(-5)
        .equals(body),
    );
  });

  test('writes the Contact wildcard, a response status line and UTF-8 text', () => {
    const res = mustParse(OK_200);
    assert.equal(res.kind, 'response');
    if (res.kind !== 'response') return;
    const text = serializeMessage({
      ...res,
      reason: '好',
      contacts: [],
      contactWildcard: true,
      from: { ...res.from, displayName: '张三' },
    }).toString('utf8');
    assert.ok(text.startsWith('SIP/2.0 200 好\r\n'));
    assert.ok(text.includes('\r\nContact: *\r\n'));
    assert.ok(text.includes('From: "张三" <sip:alice@example.com>;tag=9fxced76sl\r\n'));
  });

  test('writes a message built by hand that the parser reads back', () => {
    const req: SipRequest = {
      kind: 'request',
      method: 'BYE',
      uri: {
        scheme: 'sip',
        user: 'bob',
        host: '2001:db8::1',
        port: 5060,
        params: { transport: 'tcp' },
        headers: {},
      },
      vias: [
        { transport: 'TCP', host: '192.0.2.1', port: 5060, params: { branch: 'z9hG4bKx', rport: null } },
      ],
      from: { uri: { scheme: 'sip', user: 'a', host: 'x', params: {}, headers: {} }, params: { tag: '1' } },
      to: {
        displayName: 'Bob',
        uri: { scheme: 'tel', user: '+8613800000000', host: '', params: {}, headers: {} },
        params: { tag: '2' },
      },
      callId: 'call@x',
      cseq: { seq: 2, method: 'BYE' },
      maxForwards: 70,
      contacts: [],
      routes: [{ uri: { scheme: 'sip', host: 'proxy', params: { lr: null }, headers: {} }, params: {} }],
      recordRoutes: [],
      headers: [{ name: 'Reason', value: 'Q.850;cause=16;text="Normal call clearing"' }],
      body: Buffer.alloc(0),
    };
    assert.deepEqual(mustParse(serializeMessage(req)), req);
  });
});

describe('round trip: parse → serialize → parse gives the same structure', () => {
  test('for every sample message', () => {
    for (const sample of SAMPLES) {
      const once = mustParse(sample);
      assert.deepEqual(mustParse(serializeMessage(once)), once);
    }
  });

  test('for messages written with compact forms, folding and odd spacing', () => {
    const odd = Buffer.from(
      [
        'MESSAGE sip:user;x=y@example.com;lr SIP/2.0',
        'v: SIP / 2.0 / TLS [2001:db8::1] : 5061 ; branch = z9hG4bK9 ; rport',
        'f: "A \\"q\\"" <sip:%E5%BC%A0@example.com>;tag=x',
        't: sip:b@example.com;tag=y',
        'i: id-1',
        'CSeq: 0001',
        ' MESSAGE',
        'm: <sip:a@[2001:db8::1]:5061;transport=tls>;expires=10;+sip.instance="<urn:x>"',
        'X-Folded: a',
        '\tb',
        'c: text/plain;charset=utf-8',
        'l: 6',
        '',
        'hello!',
      ].join('\n'),
    );
    const once = mustParse(odd);
    const again = mustParse(serializeMessage(once));
    assert.deepEqual(again, once);
    assert.equal(again.body.toString(), 'hello!');
  });

  test('serialize → parse → serialize gives the same bytes', () => {
    for (const sample of [INVITE, OK_200, REGISTER]) {
      const first = serializeMessage(mustParse(sample));
      assert.ok(serializeMessage(mustParse(first)).equals(first));
    }
  });

  test('keeps the body bytes exactly', () => {
    const result = parseMessage(serializeMessage(mustParse(INVITE)));
    assert.ok(result.ok && result.message.body.toString() === SDP);
  });
});
