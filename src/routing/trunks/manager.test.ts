import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Network, Pbx } from '../../call/test-kit.js';
import type { SipUri } from '../../sip/message/types.js';
import { getHeader } from '../../sip/message/index.js';
import { TrunkError } from './errors.js';
import { TrunkManager } from './manager.js';
import { FakeCarrier, trunkConfig } from './testing.js';
import type { TrunkGroupConfig, TrunkSettings } from './types.js';

const ACCOUNT = { username: '02088888888', password: 'pw-carrier' };
const uri = (user: string): SipUri => ({ scheme: 'sip', user, host: '192.0.2.1', params: {}, headers: {} });

function setup(trunks: Record<string, unknown>[], groups: TrunkGroupConfig[] = [], rng = () => 0.5) {
  const net = new Network();
  const pbx = new Pbx(net);
  const carrier = new FakeCarrier(net, 'carrier', '203.0.113.10', ACCOUNT);
  const settings = (list: Record<string, unknown>[], g = groups): TrunkSettings => ({
    trunks: list.map(trunkConfig),
    trunkGroups: g,
    defaultCodecs: ['PCMA', 'PCMU'],
  });
  const manager = new TrunkManager({
    ctx: pbx.ctx,
    settings: settings(trunks),
    rng,
    resolve: async (host) =>
      host === 'sip.carrier.test' ? ['203.0.113.10'] : host === 'nowhere.test' ? [] : [host],
  });
  return { net, carrier, manager, settings };
}

const registered = {
  name: 'reg',
  host: 'sip.carrier.test',
  register: { username: ACCOUNT.username, password: ACCOUNT.password },
  options: { interval: 0 },
};
const ipTrunk = { name: 'ip', host: '198.51.100.20', allow: ['198.51.100.0/24'], options: { interval: 0 } };

describe('trunk manager', () => {
  it('registers trunks that have an account and reports their state', async () => {
    const { net, manager } = setup([registered, ipTrunk]);
    manager.start();
    await net.settle();
    const reg = manager.state('reg');
    assert.equal(reg?.registration?.phase, 'registered');
    assert.equal(reg?.registration?.registered, true);
    assert.deepEqual(reg?.addresses, ['203.0.113.10']);
    assert.equal(reg?.usable, true);
    assert.equal(manager.state('ip')?.registration, null);
    assert.deepEqual(
      manager.states().map((s) => s.name),
      ['reg', 'ip'],
    );
  });

  it('identifies an inbound request by allow-list or by resolved host and port, never by Contact user alone', async () => {
    const { net, manager } = setup([registered, ipTrunk]);
    manager.start();
    await net.settle();
    assert.equal(manager.identify('198.51.100.77', uri('4000')), 'ip', 'CIDR allow-list');
    assert.equal(manager.identify('203.0.113.10', uri('4000')), 'reg', 'default allow: the host’s address');
    assert.equal(
      manager.identify('192.0.2.99', uri(ACCOUNT.username)),
      undefined,
      'the account name from a stranger must still authenticate',
    );
    assert.equal(
      manager.identify({ address: '203.0.113.10', port: 5060 }, uri('4000')),
      'reg',
      'the trunk’s port',
    );
    assert.equal(
      manager.identify({ address: '203.0.113.10', port: 5099 }, uri('4000')),
      undefined,
      'another port on the gateway’s host (a phone) is not the trunk',
    );
    assert.equal(manager.identify('192.0.2.99', uri('4000')), undefined);
    assert.equal(manager.identify('::ffff:198.51.100.5', uri('4000')), 'ip');
  });

  it('prefers a trunk that matches both the source and the Contact user', async () => {
    const { net, manager } = setup([
      { ...ipTrunk, name: 'first', allow: ['203.0.113.0/24'] },
      { ...registered, allow: ['203.0.113.10'] },
    ]);
    manager.start();
    await net.settle();
    assert.equal(manager.identify('203.0.113.10', uri(ACCOUNT.username)), 'reg');
    assert.equal(manager.identify('203.0.113.10', uri('4000')), 'first');
  });

  it('does not identify by Contact user once the registration is gone', async () => {
    const { net, manager } = setup([registered]);
    manager.start();
    await net.settle();
    const stopped = manager.stop();
    await net.settle();
    await stopped;
    assert.equal(manager.state('reg')?.registration?.registered, false);
    assert.equal(manager.identify('192.0.2.99', uri(ACCOUNT.username)), undefined);
    assert.equal(manager.identify('203.0.113.10', uri(ACCOUNT.username)), 'reg', 'still its host');
  });

  it('marks a trunk down after unanswered OPTIONS and leaves it out of selection', async () => {
    const { net, carrier, manager } = setup([
      { name: 'a', host: 'sip.carrier.test', options: { interval: 10, downAfter: 2 } },
      { name: 'b', host: '198.51.100.20', options: { interval: 0 } },
    ]);
    carrier.deaf = true;
    manager.start();
    await net.settle();
    assert.deepEqual(manager.select(['a', 'b']).trunks, ['a', 'b'], 'unknown counts as usable');
    await net.advance(5000, 500);
    assert.equal(manager.state('a')?.health.phase, 'unknown', 'one miss is not enough');
    await net.advance(15_000, 500);
    assert.equal(manager.state('a')?.health.phase, 'down');
    assert.equal(manager.state('a')?.usable, false);
    assert.deepEqual(manager.select(['a', 'b']).trunks, ['b']);
    carrier.deaf = false;
    await net.advance(11_000, 500);
    assert.equal(manager.state('a')?.health.phase, 'up');
    assert.ok(carrier.of('OPTIONS').length >= 3);
  });

  it('selects by group name and remembers the round-robin position', () => {
    const { manager } = setup(
      [
        { ...ipTrunk, name: 'a' },
        { ...ipTrunk, name: 'b' },
      ],
      [
        {
          name: 'rr',
          strategy: 'roundRobin',
          trunks: [
            { trunk: 'a', weight: 1 },
            { trunk: 'b', weight: 1 },
          ],
        },
      ],
    );
    assert.deepEqual(
      [0, 1, 2].map(() => manager.select('rr').trunks[0]),
      ['a', 'b', 'a'],
    );
    assert.deepEqual(manager.select('b').trunks, ['b'], 'a trunk name selects that trunk');
    assert.throws(
      () => manager.select('nope'),
      (err: unknown) => err instanceof TrunkError && err.code === 'TRUNK_UNKNOWN',
    );
  });

  it('on reload keeps unchanged trunks, re-registers changed ones and unregisters removed ones', async () => {
    const { net, carrier, manager, settings } = setup([registered, ipTrunk]);
    manager.start();
    await net.settle();
    const channel = manager.acquire('reg');
    assert.ok(channel);
    const before = carrier.of('REGISTER').length;

    await manager.reload(settings([registered, { ...ipTrunk, maxChannels: 5 }]));
    await net.settle();
    assert.equal(carrier.of('REGISTER').length, before, 'nothing changed for reg: no REGISTER');
    assert.equal(manager.state('ip')?.channels.max, 5);

    const reloaded = manager.reload(
      settings([{ ...registered, register: { ...registered.register, expires: 600 } }]),
    );
    await net.settle();
    await reloaded;
    await net.settle();
    const regs = carrier.of('REGISTER');
    assert.equal(getHeader(regs[before]!, 'Expires'), '0', 'the old registration is removed first');
    assert.equal(getHeader(regs.at(-1)!, 'Expires'), '600');
    assert.equal(manager.state('reg')?.registration?.phase, 'registered');
    assert.equal(manager.state('ip'), undefined, 'removed');
    assert.equal(manager.state('reg')?.channels.inUse, 1, 'the call in progress keeps its channel');
    channel.release();
    assert.equal(manager.state('reg')?.channels.inUse, 0);
  });

  it('gives a channel back to a trunk that was removed meanwhile without touching a new one', async () => {
    const { manager, settings } = setup([{ ...ipTrunk, maxChannels: 1 }]);
    const channel = manager.acquire('ip');
    assert.ok(channel);
    await manager.reload(settings([]));
    await manager.reload(settings([{ ...ipTrunk, maxChannels: 1 }]));
    channel.release();
    assert.equal(manager.state('ip')?.channels.inUse, 0);
    assert.ok(manager.acquire('ip'), 'the new trunk has its channel free');
  });

  it('gives the trunk’s own codecs, else media.codecs, and no destination for a host that does not resolve', async () => {
    const { manager } = setup([
      { ...ipTrunk, codecs: ['PCMU'] },
      { name: 'lost', host: 'nowhere.test', options: { interval: 0 } },
    ]);
    assert.deepEqual(manager.route('ip')?.codecs, ['PCMU']);
    assert.deepEqual(manager.route('lost')?.codecs, ['PCMA', 'PCMU']);
    assert.deepEqual(await manager.destination('ip'), {
      transport: 'UDP',
      address: '198.51.100.20',
      port: 5060,
    });
    assert.equal(await manager.destination('lost'), undefined);
  });
});
