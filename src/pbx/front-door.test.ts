import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Admission, CallControl, ConferenceRooms, Speech } from '../call/index.js';
import {
  audio,
  DOMAIN,
  FakeMedia,
  fakeTts,
  MEDIA_ADDRESS,
  MemoryCdrLegs,
  MemoryCdrs,
  MemoryRecordings,
  Network,
  Pbx,
  Phone,
  RECORDING_DIR,
  type Exchange,
} from '../call/test-kit.js';
import { silentLogger } from '../platform/log.js';
import { AbuseGuard, DigestServer } from '../sip/auth/index.js';
import { getHeader } from '../sip/message/index.js';
import type { SipResponse } from '../sip/message/types.js';
import { Location, type Binding, type BindingStore } from '../sip/registrar/index.js';
import { ALLOW, FrontDoor } from './front-door.js';
import { calleeContacts } from './invite-handler.js';

const PASSWORDS: Record<string, string> = {
  '1001': 'secret-1001',
  '1002': 'secret-1002',
  '1003': 'secret-1003',
};
const RETRY_AFTER = 7;

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

/** Hotline's front door on the in-memory network, with extensions 1001–1003 and the test numbers *43–*46. */
function frontDoor(o: { maxCalls?: number } = {}) {
  const net = new Network();
  const pbx = new Pbx(net);
  const { clock, logger } = pbx.ctx;
  const unreachable = new Set<string>();
  const location = new Location({
    store: new MemoryBindings(),
    limits: { minExpires: 60, maxExpires: 3600, defaultExpires: 600, maxContactsPerAor: 5 },
    clock,
    log: logger,
  });
  const admission = new Admission({ maxCalls: o.maxCalls ?? 10, maxCallsPerSecond: 100 }, clock);
  const cdrs = new MemoryCdrs();
  const media = new FakeMedia(() => clock.now());
  const isReachable = (b: Binding) => !unreachable.has(b.aor);
  const control = new CallControl({
    ctx: pbx.ctx,
    media,
    mediaAddress: MEDIA_ADDRESS,
    offer: { codecs: ['PCMU', 'PCMA'], telephoneEvent: 101, ptimeMs: 20 },
    cdrs,
    cdrLegs: new MemoryCdrLegs(),
    recordings: new MemoryRecordings(),
    recording: { enabled: false, dir: RECORDING_DIR },
    musicOnHold: () => Promise.resolve([]),
    resolve: (n) => calleeContacts({ location, isReachable, ctx: pbx.ctx }, n),
    ringTimeoutMs: 30_000,
    logger,
  });
  pbx.ua.setHandler(
    new FrontDoor({
      ua: pbx.ua,
      logger,
      auth: {
        digest: new DigestServer({ realm: DOMAIN, clock }),
        guard: new AbuseGuard({ clock }),
        passwordOf: (user) => PASSWORDS[user],
        ua: pbx.ua,
        logger: silentLogger(),
      },
      register: { location, ua: pbx.ua, clock, logger },
      invite: {
        ctx: pbx.ctx,
        media,
        mediaAddress: MEDIA_ADDRESS,
        cdrs,
        location,
        admission,
        dialplan: () => ({
          echoCode: '*43',
          dtmfTestCode: '*44',
          recordTestCode: '*45',
          conferenceCode: '*46',
          extensions: new Set(Object.keys(PASSWORDS)),
        }),
        nameOf: () => undefined,
        isReachable,
        control,
        speech: new Speech(fakeTts, 'en', logger),
        rooms: new ConferenceRooms(control),
        echoMaxDurationMs: 60_000,
        dtmfTestMaxDurationMs: 60_000,
        recordTestMaxDurationMs: 30_000,
        retryAfterSeconds: RETRY_AFTER,
        logger,
      },
    }),
  );
  const phone = (
    user: string,
    password = PASSWORDS[user],
    address = `192.0.2.${10 + Number(user.slice(-1))}`,
  ) => new Phone(net, { user, address, ...(password ? { password } : {}) });
  return { net, pbx, location, admission, cdrs, unreachable, phone };
}

async function done(net: Network, ex: Exchange | { exchange: Exchange }): Promise<SipResponse> {
  await net.settle();
  const final = ('exchange' in ex ? ex.exchange : ex).final;
  if (!final) throw new Error(`no final response:\n${net.trace()}`);
  return final;
}

async function register(rig: ReturnType<typeof frontDoor>, phone: Phone, expires = 300) {
  const headers = [{ name: 'Expires', value: String(expires) }];
  return done(rig.net, phone.send(phone.request('REGISTER', { headers })));
}

describe('FrontDoor authentication and registration', () => {
  test('challenges an INVITE without credentials with 401 and WWW-Authenticate', async () => {
    const rig = frontDoor();
    const anonymous = new Phone(rig.net, { user: '1001', address: '192.0.2.50' });
    const resp = await done(rig.net, anonymous.invite('1002'));
    assert.equal(resp.status, 401);
    assert.match(getHeader(resp, 'WWW-Authenticate') ?? '', /^Digest realm="hotline.test"/);
  });

  test('refuses an INVITE with a wrong password with 403', async () => {
    const rig = frontDoor();
    const call = rig.phone('1001', 'not-the-password').invite('1002');
    const resp = await done(rig.net, call);
    assert.deepEqual(
      call.statuses.filter((s) => s >= 200),
      [401, 403],
    );
    assert.equal(resp.status, 403);
  });

  test('registers an extension’s own AOR and lists the binding in the 200', async () => {
    const rig = frontDoor();
    const phone = rig.phone('1002');
    const resp = await register(rig, phone);
    assert.equal(resp.status, 200);
    assert.match(getHeader(resp, 'Contact') ?? '', /^<sip:1002@192\.0\.2\.12:5060>;expires=300$/);
    assert.equal(rig.location.lookup('1002').length, 1);
  });

  test('refuses a REGISTER for another extension’s AOR with 403', async () => {
    const rig = frontDoor();
    const phone = rig.phone('1001');
    const resp = await done(rig.net, phone.send(phone.request('REGISTER', { to: '1002' })));
    assert.equal(resp.status, 403);
    assert.equal(rig.location.lookup('1002').length, 0);
  });
});

describe('FrontDoor requests any peer may send', () => {
  test('answers OPTIONS with 200 and Allow, without a challenge', async () => {
    const rig = frontDoor();
    const phone = new Phone(rig.net, { user: 'monitor', address: '192.0.2.99' });
    const resp = await done(rig.net, phone.send(phone.request('OPTIONS')));
    assert.equal(resp.status, 200);
    assert.equal(getHeader(resp, 'Allow'), ALLOW);
  });

  test('answers an unknown method with 405 and Allow', async () => {
    const rig = frontDoor();
    const phone = rig.phone('1001');
    const resp = await done(rig.net, phone.send(phone.request('PUBLISH')));
    assert.equal(resp.status, 405);
    assert.equal(getHeader(resp, 'Allow'), ALLOW);
  });

  test('answers Require: foo with 420 and Unsupported: foo', async () => {
    const rig = frontDoor();
    const phone = rig.phone('1001');
    const req = phone.request('INVITE', { to: '1002', headers: [{ name: 'Require', value: 'foo' }] });
    const resp = await done(rig.net, phone.send(req));
    assert.equal(resp.status, 420);
    assert.equal(getHeader(resp, 'Unsupported'), 'foo');
  });

  test('answers a BYE outside any dialog with 481', async () => {
    const rig = frontDoor();
    const phone = rig.phone('1001');
    const resp = await done(rig.net, phone.send(phone.request('BYE', { to: '1002' })));
    assert.equal(resp.status, 481);
  });
});

describe('FrontDoor routing an authenticated INVITE', () => {
  test('answers 404 for a number the dialplan does not know', async () => {
    const rig = frontDoor();
    const resp = await done(rig.net, rig.phone('1001').invite('4711'));
    assert.equal(resp.status, 404);
    assert.equal(rig.admission.activeCalls, 0, 'the admission slot is given back');
  });

  test('answers 480 for an extension that is not registered', async () => {
    const rig = frontDoor();
    const resp = await done(rig.net, rig.phone('1001').invite('1003'));
    assert.equal(resp.status, 480);
    assert.equal(rig.admission.activeCalls, 0);
  });

  test('answers 480 for a registered extension whose phone stopped answering', async () => {
    const rig = frontDoor();
    const callee = rig.phone('1002');
    await register(rig, callee);
    rig.unreachable.add('1002');
    const resp = await done(rig.net, rig.phone('1001').invite('1002'));
    assert.equal(resp.status, 480);
    assert.equal(callee.incoming.length, 0);
  });

  test('answers 480 for an extension whose registration has expired', async () => {
    const rig = frontDoor();
    await register(rig, rig.phone('1002'), 60);
    rig.net.clock.advance(61_000);
    const resp = await done(rig.net, rig.phone('1001').invite('1002'));
    assert.equal(resp.status, 480);
  });

  test('refuses a call over the admission limit with 503 and Retry-After', async () => {
    const rig = frontDoor({ maxCalls: 1 });
    const callee = rig.phone('1002');
    await register(rig, callee);
    const caller = rig.phone('1001');
    caller.invite('1002');
    await rig.net.settle();
    assert.equal(rig.admission.activeCalls, 1);
    const resp = await done(rig.net, caller.invite('1002'));
    assert.equal(resp.status, 503);
    assert.equal(getHeader(resp, 'Retry-After'), String(RETRY_AFTER));
    assert.equal(callee.incoming.length, 1, 'the second call rings nobody');
  });

  test('rings the registered contact of the extension dialled', async () => {
    const rig = frontDoor();
    const callee = rig.phone('1002');
    await register(rig, callee);
    const call = rig.phone('1001').invite('1002');
    await rig.net.settle();
    const incoming = callee.lastIncoming();
    assert.equal(incoming.invite.uri.host, callee.endpoint.address);
    assert.equal(incoming.invite.from.uri.user, '1001');
    incoming.answer();
    const resp = await done(rig.net, call);
    assert.equal(resp.status, 200);
    call.dialog!.bye();
    await rig.net.settle();
    assert.equal(rig.cdrs.only().disposition, 'answered');
    assert.equal(rig.admission.activeCalls, 0);
  });

  test('answers the echo code itself', async () => {
    const rig = frontDoor();
    const resp = await done(rig.net, rig.phone('1001').invite('*43'));
    assert.equal(resp.status, 200);
    assert.equal(audio(resp).address, MEDIA_ADDRESS.advertisedAddress);
  });

  for (const [code, what] of [
    ['*44', 'DTMF test'],
    ['*45', 'recording test'],
    ['*46', 'conference room'],
  ] as const) {
    test(`answers the ${what} code itself and gives the slot back when the caller hangs up`, async () => {
      const rig = frontDoor();
      const call = rig.phone('1001').invite(code);
      const resp = await done(rig.net, call);
      assert.equal(resp.status, 200);
      assert.equal(rig.admission.activeCalls, 1);
      call.dialog!.bye();
      await rig.net.settle();
      assert.equal(rig.cdrs.only().callee, code);
      assert.equal(rig.admission.activeCalls, 0);
    });
  }

  test('answers 481 to an INVITE whose Replaces names no dialog, and gives the slot back', async () => {
    const rig = frontDoor();
    const replaces = { name: 'Replaces', value: 'nosuchcall@host;to-tag=a;from-tag=b' };
    const resp = await done(rig.net, rig.phone('1001').invite('1002', { headers: [replaces] }));
    assert.equal(resp.status, 481);
    assert.equal(rig.admission.activeCalls, 0);
  });
});
