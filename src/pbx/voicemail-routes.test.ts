import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { callRig, DOMAIN, Network, Pbx, Phone, type Exchange } from '../call/test-kit.js';
import { voicemailRig } from '../call/testing/voicemail-rig.js';
import { silentLogger } from '../platform/log.js';
import { AbuseGuard, DigestServer } from '../sip/auth/index.js';
import { getHeader } from '../sip/message/index.js';
import type { SipRequest, SipResponse } from '../sip/message/types.js';
import type { ServerInviteTransaction, ServerTransaction } from '../sip/transaction/index.js';
import type { Location } from '../sip/registrar/index.js';
import { route, voicemailRoute, type DialplanConfig, type VoicemailDialplan } from './dialplan.js';
import { FrontDoor } from './front-door.js';
import { leaveVoicemail, type InviteDeps } from './invite-handler.js';
import type { RegisterDeps } from './register-handler.js';
import { mailboxResolver } from './voicemail-setup.js';

const VM: VoicemailDialplan = {
  listenCode: '*97',
  otherBoxCode: '*98',
  depositCode: '*96',
  hasMailbox: (m) => m === '1001' || m === 'sales',
};
const PLAN: DialplanConfig = {
  echoCode: '*43',
  dtmfTestCode: '*44',
  recordTestCode: '*45',
  conferenceCode: '*46',
  extensions: new Set(['1001', '1002']),
  voicemail: VM,
};

describe('Voicemail in the dialplan', () => {
  test('routes *97 to one’s own box, *98 to a box asked for, and *96 + mailbox to leaving a message', () => {
    assert.deepEqual(route('*97', PLAN), { kind: 'voicemail-listen', which: 'own' });
    assert.deepEqual(route('*98', PLAN), { kind: 'voicemail-listen', which: 'other' });
    assert.deepEqual(route('*961001', PLAN), { kind: 'voicemail-deposit', mailbox: '1001' });
    assert.deepEqual(voicemailRoute('*96sales', VM), { kind: 'voicemail-deposit', mailbox: 'sales' });
  });

  test('leaves unknown mailboxes, a bare prefix, and everything with voicemail off to the rest of the plan', () => {
    assert.deepEqual(route('*969999', PLAN), { kind: 'unknown' });
    assert.deepEqual(route('*96', PLAN), { kind: 'unknown' });
    assert.deepEqual(route('1001', PLAN), { kind: 'extension', number: '1001' });
    const { voicemail: _off, ...plain } = PLAN;
    assert.deepEqual(route('*97', plain), { kind: 'unknown' });
    assert.deepEqual(route('*961001', plain), { kind: 'unknown' });
  });

  test('gives every extension a box without a PIN, and configured boxes their PIN and greeting', () => {
    const box = mailboxResolver(
      { boxes: [{ mailbox: '1001', pin: '1234', greeting: 'greetings/1001.wav' }, { mailbox: 'sales' }] },
      new Set(['1001', '1002']),
      '/srv/hotline',
    );
    assert.deepEqual(box('1001'), {
      mailbox: '1001',
      pin: '1234',
      greeting: '/srv/hotline/greetings/1001.wav',
    });
    assert.deepEqual(box('1002'), { mailbox: '1002' });
    assert.deepEqual(box('sales'), { mailbox: 'sales' });
    assert.equal(box('1003'), undefined);
  });
});

/** The front door with only what SUBSCRIBE needs; `subscribed` lists who got through. */
function door(withMwi: boolean) {
  const net = new Network();
  const pbx = new Pbx(net);
  const { clock } = pbx.ctx;
  const subscribed: string[] = [];
  pbx.ua.setHandler(
    new FrontDoor({
      ua: pbx.ua,
      logger: silentLogger(),
      auth: {
        digest: new DigestServer({ realm: DOMAIN, clock }),
        guard: new AbuseGuard({ clock }),
        passwordOf: (user) => (user === '1001' ? 'secret-1001' : undefined),
        ua: pbx.ua,
        logger: silentLogger(),
      },
      // Neither is reached by a SUBSCRIBE.
      register: {
        location: {} as Location,
        ua: pbx.ua,
        clock,
        logger: silentLogger(),
      } satisfies RegisterDeps,
      invite: {} as InviteDeps,
      ...(withMwi
        ? {
            mwi: {
              subscribe: (_req: SipRequest, txn: ServerTransaction, user: string) => {
                subscribed.push(user);
                pbx.ua.respond(txn, 200);
              },
            },
          }
        : {}),
    }),
  );
  const phone = new Phone(net, { user: '1001', address: '192.0.2.10', password: 'secret-1001' });
  const send = async (event: string): Promise<{ ex: Exchange; resp: SipResponse }> => {
    const ex = phone.send(phone.request('SUBSCRIBE', { headers: [{ name: 'Event', value: event }] }));
    await net.settle();
    assert.ok(ex.final);
    return { ex, resp: ex.final };
  };
  return { send, subscribed };
}

describe('SUBSCRIBE at the front door', () => {
  test('takes message-summary from an authenticated extension, after a challenge', async () => {
    const d = door(true);
    const { ex, resp } = await d.send('message-summary');
    assert.deepEqual(ex.statuses, [401, 200]);
    assert.equal(resp.status, 200);
    assert.deepEqual(d.subscribed, ['1001']);
  });

  test('refuses any other event package with 489 and Allow-Events, before asking for credentials', async () => {
    const d = door(true);
    const { ex, resp } = await d.send('presence');
    assert.deepEqual(ex.statuses, [489]);
    assert.equal(getHeader(resp, 'Allow-Events'), 'message-summary');
    assert.deepEqual(d.subscribed, []);
  });

  test('refuses every package with 489 when voicemail is off', async () => {
    const d = door(false);
    const { ex, resp } = await d.send('message-summary');
    assert.deepEqual(ex.statuses, [489]);
    assert.equal(getHeader(resp, 'Allow-Events'), undefined);
  });
});

describe('leaveVoicemail, for a voicemail destination', () => {
  test('hands the caller to voicemail: answered, greeted, and recorded for the mailbox', async () => {
    const rig = voicemailRig();
    rig.pbx.handle((req, txn) => {
      void leaveVoicemail(
        { control: rig.control, voicemail: rig.vm },
        req,
        txn as ServerInviteTransaction,
        { number: '1001' },
        '1002',
      );
    });
    const call = rig.caller.invite('8000');
    await rig.until(() => rig.media.activeRecordings().length > 0, 'the recording');
    assert.equal(call.exchange.final?.status, 200);
    assert.match(rig.media.activeRecordings()[0]!.path, /\/1002\//);
  });

  test('refuses with 404 through call control when voicemail is off, so the call still ends', async () => {
    const rig = callRig();
    let ended = 0;
    rig.pbx.handle((req, txn) => {
      rig.control.onceCallEnded(req.callId, () => ended++);
      void leaveVoicemail(
        { control: rig.control },
        req,
        txn as ServerInviteTransaction,
        { number: '1001' },
        '1002',
      );
    });
    const call = rig.caller.invite('8000');
    await rig.until(() => call.exchange.final !== undefined, 'the answer');
    assert.equal(call.exchange.final?.status, 404);
    await rig.until(() => ended === 1, 'the end of the call');
    assert.equal(rig.cdrs.only().disposition, 'failed');
  });
});
