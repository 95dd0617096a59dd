import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMessage, serializeMessage } from '../message/index.js';
import { badRequestFor } from './bad-request.js';

function invite(to: string, extra = 'Max-Forwards: abc'): Buffer {
  return Buffer.from(
    [
      'INVITE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-bad-1',
      'From: <sip:alice@example.com>;tag=a1',
      `To: ${to}`,
      'Call-ID: bad-request-1@192.0.2.1',
      'CSeq: 7 INVITE',
      extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

function answer(bytes: Buffer) {
  const reply = badRequestFor(parseMessage(bytes), 'Hotline');
  assert.ok(reply, 'a 400 is built');
  return reply;
}

describe('badRequestFor', () => {
  test('answers an unparseable request with 400 and the parser’s reason', () => {
    const reply = answer(invite('<sip:bob@example.com>'));
    assert.equal(reply.status, 400);
    assert.equal(reply.reason, 'Bad Max-Forwards header');
    assert.equal(reply.callId, 'bad-request-1@192.0.2.1');
    assert.deepEqual(reply.cseq, { seq: 7, method: 'INVITE' });
  });

  test('tags the To header, the same way for every retransmission (RFC 3261 §8.2.7)', () => {
    const first = answer(invite('<sip:bob@example.com>'));
    const again = answer(invite('<sip:bob@example.com>'));
    const tag = first.to.params.tag;
    assert.match(tag ?? '', /^[0-9a-f]{16}$/);
    assert.equal(again.to.params.tag, tag);
    assert.match(
      serializeMessage(first).toString(),
      new RegExp(`\r\nTo: <sip:bob@example.com>;tag=${tag}\r\n`),
    );
    const other = answer(invite('<sip:bob@example.com>', 'Max-Forwards: xyz\r\nX-Other: 1'));
    assert.equal(other.to.params.tag, tag, 'the tag depends on the transaction, not on the broken header');
  });

  test('keeps the To tag of a request inside a dialog', () => {
    assert.equal(answer(invite('<sip:bob@example.com>;tag=b2')).to.params.tag, 'b2');
  });

  test('differs between requests', () => {
    const a = answer(invite('<sip:bob@example.com>'));
    const b = answer(Buffer.from(invite('<sip:bob@example.com>').toString().replace('CSeq: 7', 'CSeq: 8')));
    assert.notEqual(a.to.params.tag, b.to.params.tag);
  });

  test('does not answer an ACK, a response, or a request without Via', () => {
    assert.equal(
      badRequestFor(
        parseMessage(Buffer.from(invite('<sip:b@x>').toString().replace('7 INVITE', '7 ACK'))),
        'H',
      ),
      undefined,
    );
    assert.equal(
      badRequestFor(parseMessage(Buffer.from('SIP/2.0 200 OK\r\nMax-Forwards: x\r\n\r\n')), 'H'),
      undefined,
    );
    const noVia = invite('<sip:b@x>')
      .toString()
      .replace(/Via: [^\r]*\r\n/, '');
    assert.equal(badRequestFor(parseMessage(Buffer.from(noVia)), 'H'), undefined);
  });
});
