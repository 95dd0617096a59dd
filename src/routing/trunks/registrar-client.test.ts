import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Network, Pbx } from '../../call/test-kit.js';
import { getHeader } from '../../sip/message/index.js';
import { RegistrarClient } from './registrar-client.js';
import { FakeCarrier, trunkConfig } from './testing.js';

const ACCOUNT = { username: '02088888888', password: 'right-password' };

function setup(password = ACCOUNT.password, expires = 300) {
  const net = new Network();
  const pbx = new Pbx(net);
  const carrier = new FakeCarrier(net, 'carrier', '203.0.113.10', ACCOUNT);
  const trunk = trunkConfig({
    name: 'carrier-a',
    host: 'sip.carrier.test',
    register: { username: ACCOUNT.username, password, expires, domain: 'carrier.test' },
  });
  const client = new RegistrarClient({
    ctx: pbx.ctx,
    trunk,
    resolve: async (host) => (host === 'sip.carrier.test' ? [carrier.endpoint.address] : []),
    rng: () => 0.5,
  });
  return { net, carrier, client };
}

describe('trunk registration over SIP', () => {
  it('registers with digest authentication: From/To the account, Contact Hotline’s address', async () => {
    const { net, carrier, client } = setup();
    client.start();
    await net.settle();
    const regs = carrier.of('REGISTER');
    assert.equal(regs.length, 2, net.trace());
    const [first, second] = regs;
    assert.equal(getHeader(first!, 'Authorization'), undefined);
    assert.match(getHeader(second!, 'Authorization') ?? '', /^Digest username="02088888888"/);
    assert.equal(second!.uri.host, 'carrier.test');
    assert.equal(second!.from.uri.user, '02088888888');
    assert.equal(second!.to.uri.host, 'carrier.test');
    assert.deepEqual(
      [second!.contacts[0]?.uri.user, second!.contacts[0]?.uri.host],
      ['02088888888', '192.0.2.1'],
    );
    assert.equal(getHeader(second!, 'Expires'), '300');
    assert.equal(carrier.accepted.length, 1);
    assert.equal(client.snapshot.phase, 'registered');
    assert.equal(client.registered, true);
  });

  it('refreshes before the granted time runs out, on the same Call-ID with a higher CSeq', async () => {
    const { net, carrier, client } = setup();
    carrier.grant = 60;
    client.start();
    await net.settle();
    await net.advance(50_000, 1000);
    assert.equal(carrier.of('REGISTER').length, 2, 'nothing before 85 % of 60 s');
    await net.advance(2000, 1000);
    const regs = carrier.of('REGISTER');
    assert.equal(regs.length, 3, net.trace());
    assert.deepEqual(new Set(regs.map((r) => r.callId)).size, 1);
    assert.deepEqual(
      regs.map((r) => r.cseq.seq),
      [1, 2, 3],
    );
    assert.ok(getHeader(regs[2]!, 'Authorization'), 'the refresh answers the known challenge');
    assert.equal(carrier.accepted.length, 2);
    assert.equal(client.snapshot.phase, 'registered');
  });

  it('removes its binding with Expires: 0 when stopped', async () => {
    const { net, carrier, client } = setup();
    client.start();
    await net.settle();
    const stopped = client.stop();
    await net.settle();
    await stopped;
    const last = carrier.accepted.at(-1)!;
    assert.equal(getHeader(last, 'Expires'), '0');
    assert.equal(client.snapshot.phase, 'unregistered');
    assert.equal(client.registered, false);
  });

  it('retries 30 s after a REGISTER goes unanswered', async () => {
    const { net, carrier, client } = setup();
    carrier.mode = 'silent';
    client.start();
    await net.settle();
    await net.advance(32_000, 1000); // Timer F: 64 × T1
    assert.equal(client.snapshot.phase, 'failed');
    const sent = carrier.of('REGISTER').length;
    await net.advance(29_000, 1000);
    assert.equal(carrier.of('REGISTER').length, sent, 'no retry before 30 s');
    carrier.mode = 'normal';
    await net.advance(2000, 1000);
    assert.equal(client.snapshot.phase, 'registered', net.trace());
  });

  it('fails on a wrong password instead of sending it again and again', async () => {
    const { net, carrier, client } = setup('wrong-password');
    client.start();
    await net.settle();
    assert.equal(carrier.of('REGISTER').length, 2);
    assert.equal(client.snapshot.phase, 'failed');
    assert.equal(client.snapshot.lastFailure, 'credentials refused (challenged again)');
    assert.equal(carrier.accepted.length, 0);
  });

  it('backs off after 403', async () => {
    const { net, carrier, client } = setup();
    carrier.mode = 'forbidden';
    client.start();
    await net.settle();
    assert.equal(client.snapshot.phase, 'failed');
    assert.equal(client.snapshot.lastFailure, '403 Forbidden');
    await net.advance(29_000, 1000);
    assert.equal(carrier.of('REGISTER').length, 1);
  });
});
