import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callRig, type CallRig, type Phone } from '../../call/test-kit.js';
import { DigestServer } from '../../sip/auth/index.js';
import { getHeader } from '../../sip/message/index.js';
import { dialViaTrunks, failsOver, type TrunkDialResult } from './dial.js';
import { TrunkManager } from './manager.js';
import { trunkConfig } from './testing.js';

const NUMBER = '13800138000';

function setup(extra: Record<string, Record<string, unknown>> = {}) {
  const rig = callRig();
  const a = rig.phone('carrier-a');
  const b = rig.phone('carrier-b');
  const trunk = (name: string, p: Phone) =>
    trunkConfig({ name, host: p.endpoint.address, options: { interval: 0 }, ...extra[name] });
  const manager = new TrunkManager({
    ctx: rig.pbx.ctx,
    settings: {
      trunks: [trunk('a', a), trunk('b', b)],
      trunkGroups: [],
      defaultCodecs: ['PCMA', 'PCMU'],
    },
  });
  manager.start();
  const call = rig.control.createCall({ number: '02088888888', name: 'Hotline' }, NUMBER);
  return { rig, a, b, manager, call };
}

async function until<T>(rig: CallRig, p: Promise<T>): Promise<T> {
  let done = false;
  void p.then(() => (done = true));
  await rig.until(() => done, 'the dialling to finish');
  return p;
}

describe('calling out through trunks', () => {
  it('fails over to the next trunk on 503 and returns the answered leg', async () => {
    const { rig, a, b, manager, call } = setup();
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a', 'b'] });
    await rig.net.settle();
    const invite = a.lastIncoming().invite;
    assert.equal(invite.uri.user, NUMBER);
    assert.equal(invite.uri.host, a.endpoint.address);
    assert.equal(invite.uri.port, 5060);
    a.lastIncoming().respond(503);
    await rig.net.settle();
    b.lastIncoming().answer();
    const r = await until(rig, result);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.trunk, 'b');
    assert.deepEqual(r.attempts, [{ trunk: 'a', status: 503, reason: 'Service Unavailable' }]);
    assert.deepEqual(rig.net.between('pbx', 'carrier-a'), ['INVITE', 'ACK']);
    assert.equal(manager.state('b')?.channels.inUse, 1);
    assert.equal(manager.state('a')?.channels.inUse, 0);
    rig.control.hangupCall(call);
    await rig.idle();
    const cdr = rig.cdrs.only();
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.callee, NUMBER);
    assert.equal(manager.state('b')?.channels.inUse, 0, 'the channel is given back');
  });

  it('stops at a final answer such as 486 and ends a call that had no other leg', async () => {
    const { rig, a, b, manager, call } = setup();
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a', 'b'] });
    await rig.net.settle();
    a.lastIncoming().respond(486);
    const r: TrunkDialResult = await until(rig, result);
    assert.deepEqual([r.ok, !r.ok && r.status], [false, 486]);
    assert.equal(b.incoming.length, 0, 'carrier b is never tried');
    await rig.idle();
    assert.equal(rig.cdrs.only().sipCause, 486);
    assert.equal(rig.cdrs.only().disposition, 'busy');
  });

  it('fails over when a trunk does not answer at all', async () => {
    const { rig, a, b, manager, call } = setup();
    rig.net.drop((w) => w.to === 'carrier-a');
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a', 'b'] });
    await rig.net.advance(33_000, 500); // Timer B: 64 × T1
    b.lastIncoming().answer();
    const r = await until(rig, result);
    assert.ok(r.ok);
    assert.equal(r.attempts[0]?.trunk, 'a');
    assert.equal(a.incoming.length, 0);
  });

  it('does not fail over when the callee just does not answer in time', async () => {
    const { rig, a, b, manager, call } = setup();
    const result = dialViaTrunks(rig.control, manager, {
      call,
      number: NUMBER,
      trunks: ['a', 'b'],
      ringTimeoutMs: 5000,
    });
    await rig.net.settle();
    a.lastIncoming().ring();
    await rig.net.advance(6000, 500);
    const r = await until(rig, result);
    assert.deepEqual([r.ok, !r.ok && r.status], [false, 480]);
    assert.equal(b.incoming.length, 0);
  });

  it('skips a trunk whose channels are all busy', async () => {
    const { rig, a, b, manager, call } = setup({ a: { maxChannels: 1 } });
    const held = manager.acquire('a');
    assert.ok(held);
    assert.equal(manager.acquire('a'), undefined, 'maxChannels holds');
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a', 'b'] });
    await rig.net.settle();
    b.lastIncoming().answer();
    const r = await until(rig, result);
    assert.ok(r.ok);
    assert.deepEqual(r.attempts, [{ trunk: 'a', status: 503, reason: 'every channel busy' }]);
    assert.equal(a.incoming.length, 0);
    held.release();
    held.release();
    assert.equal(manager.state('a')?.channels.inUse, 0, 'a second release changes nothing');
  });

  it('answers a 407 with Proxy-Authorization from the trunk’s credentials', async () => {
    const { rig, a, manager, call } = setup({ a: { auth: { username: 'acct', password: 'pw-123' } } });
    const digest = new DigestServer({ realm: 'carrier.test', clock: rig.net.clock });
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a'] });
    await rig.net.settle();
    const first = a.lastIncoming();
    first.respond(407, {
      headers: digest.challenge().map((value) => ({ name: 'Proxy-Authenticate', value })),
    });
    await rig.net.settle();
    assert.equal(a.incoming.length, 2, rig.net.trace());
    const second = a.lastIncoming();
    const verdict = digest.verify({
      method: 'INVITE',
      credentialsHeader: getHeader(second.invite, 'Proxy-Authorization'),
      lookupPassword: (u) => (u === 'acct' ? 'pw-123' : undefined),
    });
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(second.invite.callId, first.invite.callId);
    assert.equal(second.invite.from.params.tag, first.invite.from.params.tag);
    assert.equal(second.invite.cseq.seq, first.invite.cseq.seq + 1);
    assert.notEqual(second.invite.vias[0]?.params.branch, first.invite.vias[0]?.params.branch);
    second.answer();
    const r = await until(rig, result);
    assert.ok(r.ok);
  });

  it('moves on when the trunk refuses our credentials', async () => {
    const { rig, a, b, manager, call } = setup({ a: { auth: { username: 'acct', password: 'wrong' } } });
    const digest = new DigestServer({ realm: 'carrier.test', clock: rig.net.clock });
    const challenge = () => digest.challenge().map((value) => ({ name: 'WWW-Authenticate', value }));
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a', 'b'] });
    await rig.net.settle();
    a.lastIncoming().respond(401, { headers: challenge() });
    await rig.net.settle();
    a.lastIncoming().respond(401, { headers: challenge() });
    await rig.net.settle();
    a.lastIncoming().respond(401, { headers: challenge() });
    await rig.net.settle();
    assert.equal(a.incoming.length, 3, 'two answers to challenges, then it gives up');
    b.lastIncoming().answer();
    const r = await until(rig, result);
    assert.ok(r.ok);
    assert.equal(r.attempts[0]?.status, 401);
  });

  it('presents the trunk’s caller ID, privacy headers and codecs', async () => {
    const { rig, a, manager, call } = setup({
      a: { codecs: ['PCMU'], callerId: { number: '02088888888', mode: 'fixed', privacy: 'id' } },
    });
    const result = dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: ['a'] });
    await rig.net.settle();
    const invite = a.lastIncoming().invite;
    assert.equal(invite.from.uri.user, 'anonymous');
    assert.equal(getHeader(invite, 'Privacy'), 'id');
    assert.match(getHeader(invite, 'P-Asserted-Identity') ?? '', /<sip:02088888888@/);
    assert.match(invite.body.toString(), /m=audio \d+ RTP\/AVP 0 101\r\n/);
    a.lastIncoming().answer();
    assert.ok((await until(rig, result)).ok);
  });

  it('cancels the try in progress and stops when aborted', async () => {
    const { rig, a, b, manager, call } = setup();
    const abort = new AbortController();
    const result = dialViaTrunks(rig.control, manager, {
      call,
      number: NUMBER,
      trunks: ['a', 'b'],
      signal: abort.signal,
    });
    await rig.net.settle();
    a.lastIncoming().ring();
    await rig.net.settle();
    abort.abort();
    const r = await until(rig, result);
    assert.deepEqual([r.ok, !r.ok && r.status], [false, 487]);
    assert.ok(a.lastIncoming().cancelled, 'the ringing trunk gets CANCEL');
    assert.equal(b.incoming.length, 0);
  });

  it('gives up with 503 when no trunk is left to try', async () => {
    const { rig, manager, call } = setup();
    const r = await until(rig, dialViaTrunks(rig.control, manager, { call, number: NUMBER, trunks: [] }));
    assert.deepEqual([r.ok, !r.ok && r.status], [false, 503]);
  });

  it('fails over on 5xx, timeouts, silence and refused credentials only', () => {
    assert.deepEqual(
      [500, 502, 503, 408, 401, 407, 404, 486, 480, 403, 488, 603].map((s) => failsOver([s], 'remote', true)),
      [true, true, true, true, true, true, false, false, false, false, false, false],
    );
    assert.equal(failsOver([], 'local', true), false, 'no answer after ringing is the callee’s');
    assert.equal(failsOver([], 'local', false), true, 'no progress at all is the trunk’s');
    assert.equal(failsOver([], 'system', false), false);
  });
});
