import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Network, Pbx, Phone, PhoneDialog, type Exchange } from '../call/test-kit.js';
import type { MessageCounts } from '../report/voicemail.js';
import { formatUri, getHeader } from '../sip/message/index.js';
import type { Header, SipRequest, SipResponse } from '../sip/message/types.js';
import { Location, type Binding, type BindingStore } from '../sip/registrar/index.js';
import { MessageWaiting } from './mwi.js';

class MemoryBindings implements BindingStore {
  async loadAll(): Promise<Binding[]> {
    return [];
  }
  async upsert(): Promise<void> {}
  async remove(): Promise<void> {}
  async removeExpired(): Promise<number> {
    return 0;
  }
}

/** MWI on the in-memory network: mailboxes 1001 and 1002, phones that register and subscribe. */
function mwiRig() {
  const net = new Network();
  const pbx = new Pbx(net);
  const location = new Location({
    store: new MemoryBindings(),
    limits: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600, maxContactsPerAor: 5 },
    clock: net.clock,
    log: pbx.ctx.logger,
  });
  const counts = new Map<string, MessageCounts>();
  /** Answers the next counts lookups give, each after a real-time delay, before `counts` is read. */
  const script: { counts: MessageCounts; delayMs: number }[] = [];
  const mwi = new MessageWaiting({
    ctx: pbx.ctx,
    location,
    counts: async (mailbox) => {
      const step = script.shift();
      if (!step) return counts.get(mailbox) ?? { newCount: 0, oldCount: 0 };
      await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      return step.counts;
    },
    hasMailbox: (mailbox) => mailbox === '1001' || mailbox === '1002',
    registeredDelayMs: 100,
    logger: pbx.ctx.logger,
  });
  mwi.start();
  // The front door authenticates; here the From user stands for the authenticated one.
  pbx.handle((req, txn) =>
    req.method === 'SUBSCRIBE' ? mwi.subscribe(req, txn, req.from.uri.user ?? '') : pbx.ua.respond(txn, 405),
  );
  let hosts = 0;
  const phone = (user: string) =>
    new Phone(net, { user, name: `${user}#${++hosts}`, address: `192.0.2.${10 * hosts}` });
  const register = (p: Phone, cseq = 1) =>
    location.register({
      aor: p.user,
      contacts: [{ uri: formatUri(p.contact.uri) }],
      wildcard: false,
      expiresHeader: 3600,
      callId: `reg-${p.name}`,
      cseq,
      source: p.endpoint,
    });
  /** NOTIFYs the phone received outside any dialog (it answers them 405; only their content counts). */
  const unsolicited = (p: Phone) =>
    net
      .messages('pbx', p.name, 'NOTIFY')
      .map((w) => w.msg as SipRequest)
      .filter((m) => !m.to.params.tag);
  /** Lets async work (counts lookups) finish, then delivers what it sent. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await net.settle();
  };
  return { net, pbx, location, counts, script, mwi, phone, register, unsolicited, settle };
}
type MwiRig = ReturnType<typeof mwiRig>;

const body = (m: SipRequest) => m.body.toString('utf8');

/** A phone's subscription: the SUBSCRIBE exchange and, once answered 200, its side of the dialog. */
async function subscribe(rig: MwiRig, p: Phone, headers: Header[] = [], to = p.user) {
  const req = {
    ...p.request('SUBSCRIBE', { to, headers: [{ name: 'Event', value: 'message-summary' }, ...headers] }),
    contacts: [p.contact],
  };
  let dialog: PhoneDialog | undefined;
  // The dialog must exist when the 200 arrives: the first NOTIFY follows right behind it.
  const ex = p.send(req, (resp) => {
    if (resp.status !== 200 || dialog) return;
    dialog = new PhoneDialog(p, req.callId, req.from, resp.to, resp.contacts[0]!.uri, req.cseq.seq);
    p.addDialog(dialog);
  });
  await rig.settle();
  return { ex, ok: ex.final, dialog, req };
}

/** NOTIFYs in the phone's subscription dialog, in order. */
const inDialog = (rig: MwiRig, p: Phone) =>
  rig.net
    .messages('pbx', p.name, 'NOTIFY')
    .map((w) => w.msg as SipRequest)
    .filter((m) => m.to.params.tag);

function final(ex: Exchange): SipResponse {
  assert.ok(ex.final, 'a final response');
  return ex.final;
}

describe('Message-waiting indication', () => {
  test('sends every registered contact of the mailbox an unsolicited NOTIFY with the counts when they change', async () => {
    const rig = mwiRig();
    const [desk, soft] = [rig.phone('1001'), rig.phone('1001')];
    const other = rig.phone('1002');
    rig.counts.set('1002', { newCount: 1, oldCount: 0 });
    for (const p of [desk, soft, other]) await rig.register(p);
    rig.net.clock.advance(200);
    await rig.settle();
    rig.counts.set('1001', { newCount: 1, oldCount: 0 });
    await rig.mwi.mailboxChanged('1001');
    await rig.settle();
    for (const p of [desk, soft]) {
      const last = rig.unsolicited(p).at(-1);
      assert.ok(last, `${p.name} got a NOTIFY`);
      assert.equal(formatUri(last.uri), formatUri(p.contact.uri), 'sent to the contact');
      assert.equal(getHeader(last, 'Event'), 'message-summary');
      assert.equal(getHeader(last, 'Subscription-State'), 'active');
      assert.equal(last.contentType, 'application/simple-message-summary');
      assert.equal(formatUri(last.to.uri), 'sip:1001@hotline.test');
      assert.equal(
        body(last),
        'Messages-Waiting: yes\r\nMessage-Account: sip:1001@hotline.test\r\nVoice-Message: 1/0 (0/0)\r\n',
      );
    }
    assert.equal(rig.unsolicited(other).length, 1, '1002 heard only its own registration NOTIFY');
  });

  test('tells a phone the counts when it registers, not when it refreshes, after the REGISTER is answered', async () => {
    const rig = mwiRig();
    rig.counts.set('1001', { newCount: 2, oldCount: 1 });
    const p = rig.phone('1001');
    await rig.register(p);
    await rig.settle();
    assert.equal(rig.unsolicited(p).length, 0, 'not before the delay');
    rig.net.clock.advance(100);
    await rig.settle();
    assert.deepEqual(rig.unsolicited(p).map(body), [
      'Messages-Waiting: yes\r\nMessage-Account: sip:1001@hotline.test\r\nVoice-Message: 2/1 (0/0)\r\n',
    ]);
    await rig.register(p, 2);
    rig.net.clock.advance(200);
    await rig.settle();
    assert.equal(rig.unsolicited(p).length, 1, 'a refresh sends nothing');
  });

  test('tells a phone that registers nothing when no new message waits', async () => {
    const rig = mwiRig();
    rig.counts.set('1001', { newCount: 0, oldCount: 4 });
    const p = rig.phone('1001');
    await rig.register(p);
    rig.net.clock.advance(200);
    await rig.settle();
    assert.equal(rig.unsolicited(p).length, 0);
  });

  test('ignores registrations of extensions without a mailbox', async () => {
    const rig = mwiRig();
    const p = rig.phone('1003');
    await rig.register(p);
    rig.net.clock.advance(200);
    await rig.settle();
    assert.equal(rig.unsolicited(p).length, 0);
  });

  test('sends changes in order: the last NOTIFY carries the latest counts', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    await rig.register(p);
    rig.net.clock.advance(200);
    await rig.settle();
    // The first lookup is slow: sent as they came, its stale counts would arrive last.
    rig.script.push(
      { counts: { newCount: 1, oldCount: 0 }, delayMs: 30 },
      { counts: { newCount: 0, oldCount: 0 }, delayMs: 0 },
    );
    await Promise.all([rig.mwi.mailboxChanged('1001'), rig.mwi.mailboxChanged('1001')]);
    await rig.settle();
    assert.deepEqual(
      rig.unsolicited(p).map((m) => /Messages-Waiting: (\w+)/.exec(body(m))?.[1]),
      ['yes', 'no'],
    );
  });

  test('accepts a SUBSCRIBE with 200, Expires and Contact, then NOTIFYs the counts in the dialog', async () => {
    const rig = mwiRig();
    rig.counts.set('1001', { newCount: 3, oldCount: 0 });
    const p = rig.phone('1001');
    const { ok } = await subscribe(rig, p, [
      { name: 'Expires', value: '600' },
      { name: 'Event', value: 'message-summary;id=9' },
    ]);
    assert.equal(ok?.status, 200);
    assert.equal(getHeader(ok, 'Expires'), '600');
    assert.ok(ok.to.params.tag, 'a To tag: the dialog exists');
    assert.equal(ok.contacts.length, 1);
    const [notify] = inDialog(rig, p);
    assert.ok(notify);
    assert.equal(getHeader(notify, 'Subscription-State'), 'active;expires=600');
    assert.match(body(notify), /Voice-Message: 3\/0/);
    assert.equal(notify.to.params.tag, ok.from.params.tag, 'in the subscription’s dialog');
    assert.equal(rig.mwi.subscriptionCount, 1);
  });

  test('echoes the id of the Event header in its NOTIFYs', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    const req = {
      ...p.request('SUBSCRIBE', { headers: [{ name: 'Event', value: 'message-summary;id=9' }] }),
      contacts: [p.contact],
    };
    p.send(req);
    await rig.settle();
    assert.equal(getHeader(inDialog(rig, p)[0]!, 'Event'), 'message-summary;id=9');
  });

  test('NOTIFYs a subscriber of every change, and sends that contact no unsolicited NOTIFY too', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    await subscribe(rig, p);
    await rig.register(p);
    rig.net.clock.advance(200);
    await rig.settle();
    rig.counts.set('1001', { newCount: 1, oldCount: 0 });
    await rig.mwi.mailboxChanged('1001');
    await rig.settle();
    assert.equal(inDialog(rig, p).length, 2);
    assert.match(body(inDialog(rig, p)[1]!), /Messages-Waiting: yes/);
    assert.equal(rig.unsolicited(p).length, 0);
  });

  test('a refresh restarts the count; Expires: 0 ends it with a last NOTIFY', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    const { dialog } = await subscribe(rig, p, [{ name: 'Expires', value: '600' }]);
    rig.net.clock.advance(500_000);
    const refresh = dialog!.send('SUBSCRIBE', undefined, undefined, {
      headers: [
        { name: 'Event', value: 'message-summary' },
        { name: 'Expires', value: '600' },
      ],
    });
    await rig.settle();
    assert.equal(final(refresh).status, 200);
    assert.equal(getHeader(inDialog(rig, p).at(-1)!, 'Subscription-State'), 'active;expires=600');
    rig.net.clock.advance(200_000);
    await rig.settle();
    assert.equal(rig.mwi.subscriptionCount, 1, 'still alive past the first expiry');
    const end = dialog!.send('SUBSCRIBE', undefined, undefined, {
      headers: [
        { name: 'Event', value: 'message-summary' },
        { name: 'Expires', value: '0' },
      ],
    });
    await rig.settle();
    assert.equal(final(end).status, 200);
    assert.equal(getHeader(final(end), 'Expires'), '0');
    assert.equal(getHeader(inDialog(rig, p).at(-1)!, 'Subscription-State'), 'terminated;reason=timeout');
    assert.equal(rig.mwi.subscriptionCount, 0);
  });

  test('ends an unrefreshed subscription at its expiry with a last NOTIFY; the dialog is then gone', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    const { dialog } = await subscribe(rig, p, [{ name: 'Expires', value: '120' }]);
    await rig.net.advance(121_000, 1_000);
    await rig.settle();
    assert.equal(getHeader(inDialog(rig, p).at(-1)!, 'Subscription-State'), 'terminated;reason=timeout');
    assert.equal(rig.mwi.subscriptionCount, 0);
    const late = dialog!.send('SUBSCRIBE', undefined, undefined, {
      headers: [{ name: 'Event', value: 'message-summary' }],
    });
    await rig.settle();
    assert.equal(final(late).status, 481);
  });

  test('ends the subscription when the phone answers its NOTIFY 481', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    const { dialog } = await subscribe(rig, p);
    dialog!.answer = () => ({ status: 481 });
    await rig.mwi.mailboxChanged('1001');
    await rig.settle();
    assert.equal(rig.mwi.subscriptionCount, 0);
  });

  const refusals: [string, Header[], string, number, string?][] = [
    ['another extension’s mailbox', [], '1002', 403],
    ['a mailbox that does not exist', [], '1009', 404],
    ['too brief an Expires', [{ name: 'Expires', value: '10' }], '1001', 423, 'Min-Expires'],
    ['a body it cannot take', [{ name: 'Accept', value: 'application/pidf+xml' }], '1001', 406, 'Accept'],
  ];
  for (const [what, headers, to, status, header] of refusals) {
    test(`refuses a SUBSCRIBE for ${what} with ${status}`, async () => {
      const rig = mwiRig();
      const p = rig.phone('1001');
      const { ex } = await subscribe(rig, p, headers, to);
      assert.equal(final(ex).status, status);
      if (header) assert.ok(getHeader(final(ex), header), `${header} is given`);
      assert.equal(rig.mwi.subscriptionCount, 0);
      assert.equal(inDialog(rig, p).length, 0);
    });
  }

  test('stop ends every subscription without a NOTIFY and stops watching registrations', async () => {
    const rig = mwiRig();
    const p = rig.phone('1001');
    await subscribe(rig, p);
    rig.mwi.stop();
    assert.equal(rig.mwi.subscriptionCount, 0);
    await rig.register(rig.phone('1001'));
    rig.net.clock.advance(200);
    await rig.settle();
    assert.equal(inDialog(rig, p).length, 1, 'only the first NOTIFY');
    assert.equal(rig.net.messages('pbx', '1001#2', 'NOTIFY').length, 0);
  });
});
