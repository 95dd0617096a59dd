import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUri, parseMessage } from '../message/index.js';
import type { Endpoint, SipMessage, SipRequest, SipResponse } from '../message/types.js';
import { Dialog, dialogKey } from './dialog.js';

const PHONE: Endpoint = { transport: 'UDP', address: '203.0.113.5', port: 41000 };
const VIA = { transport: 'UDP', host: '192.0.2.1', port: 5060 };
const OUR_CONTACT = {
  uri: { scheme: 'sip' as const, user: '1002', host: '192.0.2.1', port: 5060, params: {}, headers: {} },
  params: {},
};

function parse(lines: string[], body = ''): SipMessage {
  const text = lines.join('\r\n') + `\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

const INVITE = parse([
  'INVITE sip:1002@hotline.test SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-a1;rport',
  'Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'From: "Alice" <sip:1001@hotline.test>;tag=caller-tag',
  'To: <sip:1002@hotline.test>',
  'Call-ID: dlg-1@10.0.0.5',
  'CSeq: 7 INVITE',
  'Contact: <sip:1001@10.0.0.5:5060;transport=udp>',
  'Max-Forwards: 70',
]) as SipRequest;

const OK = parse([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-a1;rport',
  'Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'From: "Alice" <sip:1001@hotline.test>;tag=caller-tag',
  'To: <sip:1002@hotline.test>;tag=callee-tag',
  'Call-ID: dlg-1@10.0.0.5',
  'CSeq: 7 INVITE',
  'Contact: <sip:1002@10.0.0.9:5062>',
]) as SipResponse;

const uas = () => Dialog.asUas(INVITE, 'our-tag', OUR_CONTACT, PHONE, VIA);
const uac = () => Dialog.asUac(INVITE, OK, PHONE, VIA);

function inDialog(method: string, seq: number): SipRequest {
  return { ...INVITE, method, cseq: { seq, method }, to: { ...INVITE.to, params: { tag: 'our-tag' } } };
}

describe('Dialog as the UAS (RFC 3261 §12.1.1)', () => {
  test('takes the remote target from the INVITE’s Contact', () => {
    assert.equal(formatUri(uas().remoteTarget), 'sip:1001@10.0.0.5:5060;transport=udp');
  });

  test('keeps the Record-Route set in its order', () => {
    assert.deepEqual(
      uas().routeSet.map((r) => r.uri.host),
      ['p1.example.com', 'p2.example.com'],
    );
  });

  test('takes the remote tag from From, the remote sequence from CSeq, and adds our tag to To', () => {
    const d = uas();
    assert.equal(d.remoteTag, 'caller-tag');
    assert.equal(d.localTag, 'our-tag');
    assert.equal(d.localUri.params.tag, 'our-tag');
    assert.equal(d.remoteSeq, 7);
    assert.equal(d.key, dialogKey('dlg-1@10.0.0.5', 'our-tag', 'caller-tag'));
  });

  test('falls back to the From URI when the INVITE has no Contact', () => {
    const d = Dialog.asUas({ ...INVITE, contacts: [] }, 'our-tag', OUR_CONTACT, PHONE, VIA);
    assert.equal(formatUri(d.remoteTarget), 'sip:1001@hotline.test');
  });
});

describe('Dialog as the UAC (RFC 3261 §12.1.2)', () => {
  test('reverses the Record-Route set of the response', () => {
    assert.deepEqual(
      uac().routeSet.map((r) => r.uri.host),
      ['p2.example.com', 'p1.example.com'],
    );
  });

  test('takes the remote target from the response’s Contact', () => {
    assert.equal(formatUri(uac().remoteTarget), 'sip:1002@10.0.0.9:5062');
  });

  test('takes the local sequence from the INVITE and has no remote sequence yet', () => {
    const d = uac();
    assert.equal(d.localSeq, 7);
    assert.equal(d.remoteSeq, undefined);
    assert.equal(d.localTag, 'caller-tag');
    assert.equal(d.remoteTag, 'callee-tag');
  });
});

describe('Dialog CSeq checks (RFC 3261 §12.2.2)', () => {
  test('refuses a request with a CSeq lower than the last one', () => {
    assert.equal(uas().acceptRemoteSeq(inDialog('BYE', 6)), false);
  });

  test('refuses a request with the same CSeq as the last one', () => {
    assert.equal(uas().acceptRemoteSeq(inDialog('INFO', 7)), false);
  });

  test('accepts a higher CSeq and remembers it', () => {
    const d = uas();
    assert.equal(d.acceptRemoteSeq(inDialog('INFO', 9)), true);
    assert.equal(d.remoteSeq, 9);
    assert.equal(d.acceptRemoteSeq(inDialog('BYE', 8)), false);
  });

  test('accepts any first request when no remote sequence is known yet', () => {
    const d = uac();
    assert.equal(d.acceptRemoteSeq(inDialog('BYE', 1)), true);
    assert.equal(d.remoteSeq, 1);
  });

  test('lets ACK and CANCEL through whatever their CSeq', () => {
    const d = uas();
    assert.equal(d.acceptRemoteSeq(inDialog('ACK', 7)), true);
    assert.equal(d.acceptRemoteSeq(inDialog('CANCEL', 7)), true);
    assert.equal(d.remoteSeq, 7);
  });
});

describe('Dialog.createRequest (RFC 3261 §12.2.1.1)', () => {
  test('sends the ACK with the INVITE’s CSeq number', () => {
    const ack = uac().createRequest('ACK');
    assert.deepEqual(ack.cseq, { seq: 7, method: 'ACK' });
  });

  test('increments the CSeq for a BYE, and again for the next request', () => {
    const d = uac();
    assert.deepEqual(d.createRequest('BYE').cseq, { seq: 8, method: 'BYE' });
    assert.deepEqual(d.createRequest('INFO').cseq, { seq: 9, method: 'INFO' });
  });

  test('starts the UAS side’s own requests from its own counter', () => {
    assert.equal(uas().createRequest('BYE').cseq.seq, 1);
  });

  test('addresses the remote target through the route set, with both tags and the Call-ID', () => {
    const bye = uac().createRequest('BYE');
    assert.equal(formatUri(bye.uri), 'sip:1002@10.0.0.9:5062');
    assert.deepEqual(
      bye.routes.map((r) => r.uri.host),
      ['p2.example.com', 'p1.example.com'],
    );
    assert.equal(bye.from.params.tag, 'caller-tag');
    assert.equal(bye.to.params.tag, 'callee-tag');
    assert.equal(bye.callId, 'dlg-1@10.0.0.5');
    assert.deepEqual(bye.contacts, [], 'a BYE carries no Contact');
  });

  test('gives each request a fresh branch from our own sent-by', () => {
    const d = uas();
    const [one, two] = [d.createRequest('INFO'), d.createRequest('INFO')];
    assert.equal(one.vias[0]?.host, '192.0.2.1');
    assert.match(one.vias[0]?.params.branch ?? '', /^z9hG4bK/);
    assert.notEqual(one.vias[0]?.params.branch, two.vias[0]?.params.branch);
  });

  test('puts our Contact and the body into a re-INVITE', () => {
    const body = Buffer.from('v=0\r\n');
    const reinvite = uas().createRequest('INVITE', { body, contentType: 'application/sdp' });
    assert.deepEqual(reinvite.contacts, [OUR_CONTACT]);
    assert.equal(reinvite.contentType, 'application/sdp');
    assert.deepEqual(reinvite.body, body);
  });

  test('moves the remote target when a target refresh carries a new Contact', () => {
    const d = uas();
    const refresh = parse([
      'INVITE sip:1002@192.0.2.1 SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-a2',
      'From: <sip:1001@hotline.test>;tag=caller-tag',
      'To: <sip:1002@hotline.test>;tag=our-tag',
      'Call-ID: dlg-1@10.0.0.5',
      'CSeq: 8 INVITE',
      'Contact: <sip:1001@10.0.0.77:5070>',
    ]) as SipRequest;
    d.refreshTarget(refresh);
    assert.equal(formatUri(d.createRequest('BYE').uri), 'sip:1001@10.0.0.77:5070');
  });
});
