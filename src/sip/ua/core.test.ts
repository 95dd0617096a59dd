import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Network, Pbx, PBX_ENDPOINT, Phone } from '../../call/test-kit.js';
import { createResponse } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../transaction/index.js';
import { dialogKey } from '../dialog/index.js';
import type { DialogUsage } from './core.js';

/** The UA core behind Hotline's transaction layer, with a handler that records what reaches it. */
function rig() {
  const net = new Network();
  const pbx = new Pbx(net);
  const phone = new Phone(net, { user: '1001', address: '192.0.2.10' });
  const handled: SipRequest[] = [];
  pbx.handle((req, txn) => {
    handled.push(req);
    if (req.method !== 'INVITE') pbx.ua.respond(txn, 200);
  });
  return { net, pbx, phone, handled };
}

class RecordingUsage implements DialogUsage {
  readonly requests: SipRequest[] = [];
  readonly acks: SipRequest[] = [];
  readonly retransmitted: SipResponse[] = [];
  onRequest(req: SipRequest, txn: ServerTransaction): void {
    this.requests.push(req);
    txn.respond(createResponse(req, 200));
  }
  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }
  onRetransmitted2xx(resp: SipResponse): void {
    this.retransmitted.push(resp);
  }
}

describe('UserAgentCore', () => {
  test('answers 481 to an in-dialog request whose tags match no dialog', async () => {
    const { net, phone, handled } = rig();
    const bye = phone.send(phone.request('BYE', { to: '1002', toTag: 'no-such-dialog' }));
    await net.settle();
    assert.equal(bye.final?.status, 481);
    assert.deepEqual(handled, [], 'the out-of-dialog handler never sees it');
  });

  test('hands an in-dialog request to the dialog registered under its Call-ID and tags', async () => {
    const { net, pbx, phone } = rig();
    const usage = new RecordingUsage();
    pbx.ua.addDialog(dialogKey('call-9', 'our-tag', 'their-tag'), usage);
    const info = phone.send(
      phone.request('INFO', { callId: 'call-9', fromTag: 'their-tag', toTag: 'our-tag' }),
    );
    await net.settle();
    assert.equal(info.final?.status, 200);
    assert.deepEqual(
      usage.requests.map((r) => r.method),
      ['INFO'],
    );
  });

  test('hands the ACK for a 2xx to its dialog', async () => {
    const { net, pbx, phone } = rig();
    const usage = new RecordingUsage();
    pbx.ua.addDialog(dialogKey('call-9', 'our-tag', 'their-tag'), usage);
    const ack = phone.request('ACK', { callId: 'call-9', fromTag: 'their-tag', toTag: 'our-tag' });
    phone.layer.sendStateless(ack, PBX_ENDPOINT);
    await net.settle();
    assert.equal(usage.acks.length, 1);
  });

  test('answers 481 once a dialog has been removed', async () => {
    const { net, pbx, phone } = rig();
    const key = dialogKey('call-9', 'our-tag', 'their-tag');
    pbx.ua.addDialog(key, new RecordingUsage());
    pbx.ua.removeDialog(key);
    const bye = phone.send(
      phone.request('BYE', { callId: 'call-9', fromTag: 'their-tag', toTag: 'our-tag' }),
    );
    await net.settle();
    assert.equal(bye.final?.status, 481);
    assert.equal(pbx.ua.dialogCount, 0);
  });

  test('answers 483 to a request with Max-Forwards 0', async () => {
    const { net, phone, handled } = rig();
    const options = phone.send(phone.request('OPTIONS', { maxForwards: 0 }));
    await net.settle();
    assert.equal(options.final?.status, 483);
    assert.deepEqual(handled, []);
  });

  test('passes a request with Max-Forwards 1 on to the handler', async () => {
    const { net, phone, handled } = rig();
    const options = phone.send(phone.request('OPTIONS', { maxForwards: 1 }));
    await net.settle();
    assert.equal(options.final?.status, 200);
    assert.equal(handled.length, 1);
  });

  test('answers 503 to requests outside a dialog while no handler is set', async () => {
    const net = new Network();
    new Pbx(net);
    const phone = new Phone(net, { user: '1001', address: '192.0.2.10' });
    const options = phone.send(phone.request('OPTIONS'));
    await net.settle();
    assert.equal(options.final?.status, 503);
  });

  test('adds a To tag to every response but 100', async () => {
    const { net, phone } = rig();
    const options = phone.send(phone.request('OPTIONS'));
    await net.settle();
    assert.ok(options.final?.to.params.tag);
    assert.equal(options.final?.headers.find((h) => h.name === 'Server')?.value, 'Hotline-test');
  });

  test('answers 481 to a CANCEL that matches no INVITE', async () => {
    const { net, phone } = rig();
    const cancel = phone.send(phone.request('CANCEL', { to: '1002' }));
    await net.settle();
    assert.equal(cancel.final?.status, 481);
  });

  test('answers a CANCEL for a ringing INVITE with 200, then the INVITE with 487', async () => {
    const { net, pbx, phone } = rig();
    const cancelled: SipRequest[] = [];
    pbx.handle((req, txn) => {
      const invite = txn as ServerInviteTransaction;
      pbx.ua.respond(invite, 180);
      pbx.ua.onCancelOf(invite, {
        onCancel: (cancel) => {
          cancelled.push(cancel);
          invite.respond(createResponse(req, 487, undefined, { toTag: 'tag-487' }));
        },
      });
    });
    const call = phone.invite('1002');
    await net.settle();
    call.cancel();
    await net.settle();
    assert.equal(cancelled.length, 1);
    assert.deepEqual(net.between('pbx', '1001'), ['180 INVITE', '200 CANCEL', '487 INVITE']);
    assert.equal(call.exchange.final?.status, 487);
  });

  test('hands a 2xx retransmitted after its transaction ended to the dialog, to be ACKed again', async () => {
    const { net, pbx, phone } = rig();
    const usage = new RecordingUsage();
    pbx.ua.addDialog(dialogKey('call-9', 'our-tag', 'their-tag'), usage);
    const invite = phone.request('INVITE', { callId: 'call-9' });
    const ok = createResponse(
      { ...invite, from: { ...invite.from, params: { tag: 'our-tag' } } },
      200,
      undefined,
      {
        toTag: 'their-tag',
      },
    );
    phone.layer.sendStateless(ok, PBX_ENDPOINT); // as if it came after Timer M
    await net.settle();
    assert.equal(usage.retransmitted.length, 1);
  });
});
