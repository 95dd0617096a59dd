import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createResponse, newBranch, newCallId, newTag, reasonPhrase } from './build.js';
import { INVITE, mustParse, mustParseRequest } from './fixtures.test.js';
import { serializeMessage } from './serialize.js';
import type { SipRequest } from './types.js';

function inviteWithRecordRoute(): SipRequest {
  const req = mustParseRequest(INVITE);
  return {
    ...req,
    recordRoutes: [
      { uri: { scheme: 'sip', host: 'proxy.example.com', params: { lr: null }, headers: {} }, params: {} },
    ],
    headers: [...req.headers, { name: 'Timestamp', value: '54' }],
  };
}

describe('createResponse', () => {
  test('copies Via, From, To, Call-ID and CSeq from the request (RFC 3261 §8.2.6.2)', () => {
    const req = mustParseRequest(INVITE);
    const res = createResponse(req, 486);
    assert.equal(res.kind, 'response');
    assert.equal(res.status, 486);
    assert.equal(res.reason, 'Busy Here');
    assert.deepEqual(res.vias, req.vias);
    assert.deepEqual(res.from, req.from);
    assert.deepEqual(res.to, req.to);
    assert.equal(res.callId, req.callId);
    assert.deepEqual(res.cseq, req.cseq);
    assert.equal(res.maxForwards, undefined);
  });

  test('adds the To tag when the request has none, and keeps an existing one', () => {
    const req = mustParseRequest(INVITE);
    const tagged = createResponse(req, 180, undefined, { toTag: 'as83kd' });
    assert.equal(tagged.to.params.tag, 'as83kd');
    assert.equal(req.to.params.tag, undefined, 'the request is not changed');
    const inDialog = { ...req, to: { ...req.to, params: { tag: 'old' } } };
    assert.equal(createResponse(inDialog, 200, 'OK', { toTag: 'new' }).to.params.tag, 'old');
  });

  test('copies Record-Route only into responses that can make a dialog (101-299)', () => {
    const req = inviteWithRecordRoute();
    assert.equal(createResponse(req, 100).recordRoutes.length, 0);
    assert.equal(createResponse(req, 180).recordRoutes.length, 1);
    assert.equal(createResponse(req, 200).recordRoutes.length, 1);
    assert.equal(createResponse(req, 404).recordRoutes.length, 0);
  });

  test('copies Timestamp into a 100 Trying (RFC 3261 §8.2.6.1) and nowhere else', () => {
    const req = inviteWithRecordRoute();
    assert.deepEqual(createResponse(req, 100).headers, [{ name: 'Timestamp', value: '54' }]);
    assert.deepEqual(createResponse(req, 200).headers, []);
  });

  test('carries contacts, headers, body and content type, and serializes', () => {
    const req = mustParseRequest(INVITE);
    const contact = {
      uri: { scheme: 'sip' as const, host: '192.0.2.20', params: {}, headers: {} },
      params: {},
    };
    const res = createResponse(req, 200, 'OK', {
      toTag: 'x',
      contacts: [contact],
      headers: [{ name: 'Server', value: 'Hotline' }],
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    const again = mustParse(serializeMessage(res));
    assert.deepEqual(again, res);
  });
});

describe('reasonPhrase', () => {
  test('knows the registered phrases and falls back to the class name', () => {
    assert.equal(reasonPhrase(200), 'OK');
    assert.equal(reasonPhrase(481), 'Call/Transaction Does Not Exist');
    assert.equal(reasonPhrase(603), 'Decline');
    assert.equal(reasonPhrase(299), 'Success');
    assert.equal(reasonPhrase(499), 'Client Error');
  });
});

describe('identifiers', () => {
  test('branches carry the magic cookie and are unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const b = newBranch();
      assert.ok(b.startsWith('z9hG4bK'));
      assert.match(b, /^[A-Za-z0-9_-]+$/);
      seen.add(b);
    }
    assert.equal(seen.size, 2000);
  });

  test('tags and Call-IDs are unique tokens', () => {
    const tags = new Set(Array.from({ length: 1000 }, newTag));
    const ids = new Set(Array.from({ length: 1000 }, newCallId));
    assert.equal(tags.size, 1000);
    assert.equal(ids.size, 1000);
    for (const v of [...tags, ...ids]) assert.match(v, /^[A-Za-z0-9_-]{8,}$/);
  });
});
