import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SipRequest } from '../message/types.js';
import { RecordingUser, TCP_PEER, UDP_PEER, request, response, sameTransaction, setup } from './test-kit.js';

describe('TransactionLayer request matching (RFC 3261 §17.2.3)', () => {
  test('ACK for 2xx reaches the core', () => {
    const { layer, core } = setup();
    const invite = request('INVITE');
    layer.receive(invite, UDP_PEER);
    core.txn().respond(response(invite, 200));
    const ack: SipRequest = {
      ...sameTransaction(invite, 'ACK', 'uas-tag'),
      vias: [{ transport: 'UDP', host: '192.0.2.10', params: { branch: 'z9hG4bK-ack-new' } }],
    };
    layer.receive(ack, UDP_PEER);
    assert.equal(core.acks.length, 1);
    assert.equal(core.acks[0]?.ack, ack);
    assert.deepEqual(core.acks[0]?.source, UDP_PEER);
    assert.equal(core.requests.length, 1, 'an ACK never creates a transaction');
  });

  test('an ACK for a non-2xx is absorbed by its INVITE server transaction', () => {
    const { layer, core } = setup();
    const invite = request('INVITE');
    layer.receive(invite, UDP_PEER);
    core.txn().respond(response(invite, 486));
    layer.receive(sameTransaction(invite, 'ACK', 'uas-tag'), UDP_PEER);
    assert.equal(core.acks.length, 0);
    assert.equal(core.txn().state, 'confirmed');
  });

  test('a CANCEL gets its own server transaction and the INVITE transaction it targets (§9.2)', () => {
    const { layer, core, sender } = setup();
    const invite = request('INVITE');
    layer.receive(invite, UDP_PEER);
    const cancel = sameTransaction(invite, 'CANCEL');
    layer.receive(cancel, UDP_PEER);
    assert.equal(core.requests.length, 1, 'the CANCEL does not go to onRequest');
    assert.equal(core.cancels.length, 1);
    const entry = core.cancels[0]!;
    assert.equal(entry.invite, core.txn());
    assert.equal(entry.txn.kind, 'server-non-invite');
    assert.notEqual(entry.txn, core.txn());
    entry.txn.respond(response(cancel, 200));
    layer.receive(cancel, UDP_PEER);
    assert.deepEqual(sender.labels(), ['200', '200'], 'a retransmitted CANCEL gets the cached 200');
    assert.equal(core.cancels.length, 1);
    assert.equal(layer.stats().serverNonInvite, 1);
  });

  test('a CANCEL matching no INVITE comes with no INVITE transaction', () => {
    const { layer, core } = setup();
    layer.receive(sameTransaction(request('INVITE'), 'CANCEL'), UDP_PEER);
    assert.equal(core.cancels.length, 1);
    assert.equal(core.cancels[0]?.invite, undefined);
  });

  test('the same branch from another sent-by is another transaction', () => {
    const { layer, core } = setup();
    layer.receive(request('OPTIONS', { viaHost: 'a.example.com' }), UDP_PEER);
    layer.receive(request('OPTIONS', { viaHost: 'b.example.com' }), UDP_PEER);
    layer.receive(request('OPTIONS', { viaHost: 'A.EXAMPLE.COM' }), UDP_PEER);
    assert.equal(core.requests.length, 2);
  });

  test('the same branch with another method is another transaction', () => {
    const { layer, core } = setup();
    layer.receive(request('OPTIONS', { branch: 'z9hG4bK-x' }), UDP_PEER);
    layer.receive(request('INFO', { branch: 'z9hG4bK-x' }), UDP_PEER);
    assert.equal(core.requests.length, 2);
  });

  test('matches RFC 2543 requests (no magic cookie) by Request-URI, tags, Call-ID, CSeq and top Via', () => {
    const { layer, core } = setup();
    const invite = request('INVITE', { branch: undefined });
    assert.equal(invite.vias[0]?.params.branch, undefined);
    layer.receive(invite, UDP_PEER);
    layer.receive(invite, UDP_PEER);
    assert.equal(core.requests.length, 1, 'a retransmission');
    core.txn().respond(response(invite, 486));
    layer.receive(sameTransaction(invite, 'ACK', 'uas-tag'), UDP_PEER);
    assert.equal(core.txn().state, 'confirmed');
    layer.receive(request('INVITE', { branch: undefined, seq: 2 }), UDP_PEER);
    layer.receive(request('INVITE', { branch: undefined, fromTag: 'other' }), UDP_PEER);
    layer.receive(request('INVITE', { branch: undefined, uriUser: '1002' }), UDP_PEER);
    assert.equal(core.requests.length, 4);
    const invite2 = request('INVITE', { branch: '1234', callId: 'old@x' });
    layer.receive(invite2, UDP_PEER);
    layer.receive(sameTransaction(invite2, 'CANCEL'), UDP_PEER);
    assert.equal(core.cancels[0]?.invite, core.txn(4));
  });

  test('drops a request without Via', () => {
    const { layer, core } = setup();
    layer.receive({ ...request('OPTIONS'), vias: [] }, UDP_PEER);
    assert.equal(core.requests.length, 0);
    assert.equal(layer.stats().total, 0);
  });
});

describe('TransactionLayer response matching (RFC 3261 §17.1.3)', () => {
  test('a response matching no client transaction goes to the core as stray', () => {
    const { layer, core } = setup();
    const resp = response(request('INVITE'), 200);
    layer.receive(resp, UDP_PEER);
    assert.deepEqual(core.strays, [resp]);
  });

  test('a response with the right branch but another CSeq method is stray', () => {
    const { layer, core } = setup();
    const invite = request('INVITE');
    const user = new RecordingUser();
    layer.sendRequest(invite, UDP_PEER, user);
    layer.receive(response({ ...invite, cseq: { seq: 1, method: 'BYE' } }, 200), UDP_PEER);
    assert.equal(core.strays.length, 1);
    assert.deepEqual(user.responses, []);
  });

  test('a response without a Via branch is stray', () => {
    const { layer, core } = setup();
    const resp = response(request('OPTIONS'), 200);
    layer.receive({ ...resp, vias: [] }, UDP_PEER);
    assert.equal(core.strays.length, 1);
  });
});

describe('TransactionLayer.sendRequest', () => {
  test('refuses an ACK, a request without branch and a duplicate branch', () => {
    const { layer } = setup();
    const user = new RecordingUser();
    assert.throws(() => layer.sendRequest(request('ACK'), UDP_PEER, user), {
      code: 'SIP_TXN_ACK_NOT_TRANSACTION',
    });
    assert.throws(() => layer.sendRequest(request('INVITE', { branch: undefined }), UDP_PEER, user), {
      code: 'SIP_TXN_NO_BRANCH',
    });
    layer.sendRequest(request('OPTIONS'), UDP_PEER, user);
    assert.throws(() => layer.sendRequest(request('OPTIONS'), UDP_PEER, user), {
      code: 'SIP_TXN_DUPLICATE_BRANCH',
    });
  });

  test('sendStateless sends without a transaction', () => {
    const { layer, sender, clock } = setup();
    layer.sendStateless(request('ACK'), UDP_PEER);
    assert.deepEqual(sender.labels(), ['ACK']);
    assert.equal(clock.pendingCount, 0);
    assert.equal(layer.stats().total, 0);
  });
});

describe('TransactionLayer bookkeeping', () => {
  test('stats counts live transactions by kind', () => {
    const { layer, core } = setup();
    const user = new RecordingUser();
    layer.sendRequest(request('INVITE'), UDP_PEER, user);
    layer.sendRequest(request('BYE'), UDP_PEER, user);
    layer.sendRequest(request('OPTIONS'), TCP_PEER, user);
    layer.receive(request('INVITE', { branch: 'z9hG4bK-in' }), UDP_PEER);
    layer.receive(request('REGISTER', { branch: 'z9hG4bK-reg' }), UDP_PEER);
    const invite = core.inviteTxn();
    layer.retransmit2xx(invite, response(invite.request, 200), () => {});
    assert.deepEqual(layer.stats(), {
      clientInvite: 1,
      clientNonInvite: 2,
      serverInvite: 1,
      serverNonInvite: 1,
      ack2xx: 1,
      total: 6,
    });
  });

  test('no timers remain after all transactions terminate', () => {
    const { layer, core, clock, sender } = setup();
    const user = new RecordingUser();
    const outInvite = request('INVITE', { branch: 'z9hG4bK-out-1' });
    layer.sendRequest(outInvite, UDP_PEER, user);
    const outInvite2 = request('INVITE', { branch: 'z9hG4bK-out-2' });
    layer.sendRequest(outInvite2, UDP_PEER, user);
    const outBye = request('BYE', { branch: 'z9hG4bK-out-3' });
    layer.sendRequest(outBye, UDP_PEER, user);
    layer.sendRequest(request('OPTIONS', { branch: 'z9hG4bK-out-4' }), UDP_PEER, user);
    layer.receive(response(outInvite, 180), UDP_PEER);
    layer.receive(response(outInvite, 200), UDP_PEER);
    layer.receive(response(outInvite2, 180), UDP_PEER);
    layer.receive(response(outInvite2, 486), UDP_PEER);
    layer.receive(response(outBye, 200), UDP_PEER);
    core.answer = (req, txn) => txn.respond(response(req, req.method === 'INVITE' ? 486 : 200));
    layer.receive(request('INVITE', { branch: 'z9hG4bK-in-1' }), UDP_PEER);
    layer.receive(request('REGISTER', { branch: 'z9hG4bK-in-2' }), UDP_PEER);
    core.answer = undefined;
    const inInvite = request('INVITE', { branch: 'z9hG4bK-in-3' });
    layer.receive(inInvite, UDP_PEER);
    const ok = response(inInvite, 200);
    core.txn(2).respond(ok);
    const retransmitter = layer.retransmit2xx(core.inviteTxn(2), ok, () => {});
    clock.advance(1000);
    retransmitter.ack();
    assert.ok(layer.stats().total > 0);
    clock.advance(64 * 500 + 5_000);
    assert.equal(layer.stats().total, 0);
    assert.equal(clock.pendingCount, 0);
    assert.ok(sender.sent.length > 10);
  });

  test('close() cancels every timer, ends every transaction and refuses new requests', () => {
    const { layer, core, clock } = setup();
    const user = new RecordingUser();
    const outgoing = layer.sendRequest(request('INVITE'), UDP_PEER, user);
    layer.receive(request('INVITE', { branch: 'z9hG4bK-in' }), UDP_PEER);
    const reasons: string[] = [];
    core.txn().onTerminated = (r) => reasons.push(r);
    let timedOut = false;
    layer.retransmit2xx(core.inviteTxn(), response(core.txn().request, 200), () => (timedOut = true));
    layer.close();
    layer.close();
    assert.equal(clock.pendingCount, 0);
    assert.equal(layer.stats().total, 0);
    assert.equal(outgoing.state, 'terminated');
    assert.deepEqual(reasons, ['closed']);
    assert.equal(user.timeouts + user.errors.length, 0, 'the TU is not told on shutdown');
    assert.throws(() => layer.sendRequest(request('OPTIONS'), UDP_PEER, user), { code: 'SIP_TXN_CLOSED' });
    layer.receive(request('OPTIONS', { branch: 'z9hG4bK-late' }), UDP_PEER);
    assert.equal(core.requests.length, 1);
    clock.advance(100_000);
    assert.equal(timedOut, false);
  });
});
