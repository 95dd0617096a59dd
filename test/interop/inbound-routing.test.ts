/**
 * Calls from a carrier (sipp on an IP-authenticated trunk) to a DID: the IVR answers with a
 * menu, sipp presses "1" as an RFC 4733 telephone-event, and the call lands at extension
 * 1002 (another sipp) with the IVR's variables as associated data; a caller on the
 * blacklist hears the warning and is hung up; outside business hours and on a public
 * holiday the call gets the closed announcement instead of the menu. The routing clock is
 * set by the test; SIP and media run on real time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cdrWhere, mediaPort, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { audible, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { parseConfig } from '../../src/platform/config/index.js';
import { receivedMessages, runSipp } from './harness/sipp.js';

const OPEN = Date.parse('2026-12-08T10:00:00+08:00'); // a Tuesday morning
const NIGHT = Date.parse('2026-12-08T22:30:00+08:00');
const NATIONAL_DAY = Date.parse('2026-10-01T10:00:00+08:00');

const FLOW = {
  id: 'hotline',
  lang: 'en',
  start: 'menu',
  variables: { CHOICE: '' },
  nodes: {
    menu: {
      type: 'menu',
      prompts: [{ tts: 'For sales, press 1.', lang: 'en' }],
      options: { '1': 'sales' },
      retries: 1,
      inputTimeout: 8,
      invalid: 'bye',
      timeout: 'bye',
    },
    sales: { type: 'set', assign: { CHOICE: 'sales' }, next: 'toSales' },
    toSales: {
      type: 'transfer',
      to: { type: 'extension', number: '1002' },
      data: { reason: 'sales' },
      failed: 'bye',
      busy: 'bye',
      noAnswer: 'bye',
    },
    bye: { type: 'hangup' },
  },
};

describe('inbound routing from a carrier trunk', () => {
  let t: TestServer;
  let carrierPort: number;
  let routingAt = OPEN;
  before(async () => {
    carrierPort = await freePort();
    t = await startTestServer({
      routingNow: () => routingAt,
      config: {
        tts: { language: 'en', rate: 1.5 },
        trunks: [{ name: 'carrier', host: '127.0.0.1', port: carrierPort, options: { interval: 0 } }],
        schedules: { office: { hours: { daily: ['08:00-20:00'] }, holidays: 'china' } },
        lists: {
          blacklist: [
            {
              number: '13900001111',
              action: 'warn',
              prompts: [{ tts: 'This number is blocked. Goodbye.', lang: 'en' }],
            },
          ],
        },
        inbound: {
          numbers: [
            {
              number: '96110',
              destination: { type: 'ivr', flow: 'hotline' },
              schedule: 'office',
              closed: { type: 'announcement', prompts: [{ tts: 'We are closed now. Goodbye.', lang: 'en' }] },
            },
          ],
        },
        ivr: { flows: { hotline: FLOW } },
      },
    });
  });
  after(async () => t.stop());

  /**
   * The carrier calls 96110 from `caller` and waits for Hotline to hang up; returns sipp's run,
   * the RTP the carrier heard, and the call's CDR.
   */
  async function callUntilHungUp(caller: string, timeoutSeconds = 30) {
    const since = Date.now();
    const media = await mediaPort();
    const heard = await capturePackets(`dst port ${media}`);
    const run = await runSipp({
      scenario: 'carrier-call-until-bye.xml',
      server: t.sipPort,
      localPort: carrierPort,
      mediaPort: media,
      fields: [`${caller};96110`],
      timeoutSeconds,
    }).done;
    const packets = rtpPackets(await heard.stop());
    assert.equal(run.code, 0, `answered, then a BYE from Hotline: ${run.errors || run.stdout}`);
    const cdr = await cdrWhere(t, since, (c) => c.caller === caller);
    return { run, spoken: audible(packets).length, cdr };
  }

  it('answers with the IVR menu; the digit 1 lands the call on extension 1002 with the flow’s data', async (ctx) => {
    routingAt = OPEN;
    const since = Date.now();
    const phonePort = await freePort();
    await registerPhone(t, '1002', phonePort);
    const callee = runSipp({
      scenario: 'answer.xml',
      server: t.sipPort,
      localPort: phonePort,
      mediaPort: await mediaPort(),
      timeoutSeconds: 40,
    });
    const carrierMedia = await mediaPort();
    const heard = await capturePackets(`dst port ${carrierMedia}`);
    const carrier = await runSipp({
      scenario: 'carrier-call-dtmf.xml',
      server: t.sipPort,
      localPort: carrierPort,
      mediaPort: carrierMedia,
      fields: ['13800138000;96110;2500;4000'],
      timeoutSeconds: 40,
    }).done;
    const packets = rtpPackets(await heard.stop());
    assert.equal(carrier.code, 0, carrier.errors || carrier.stdout);
    const phone = await callee.done;
    assert.equal(phone.code, 0, `1002 was rung, answered and released: ${phone.errors || phone.stdout}`);
    const cdr = await cdrWhere(t, since, (c) => c.caller === '13800138000');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.callee, '1002', 'the call ended up talking to 1002');
    assert.equal(cdr.data?.['did'], '96110');
    assert.equal(cdr.data?.['trunk'], 'carrier');
    assert.equal(cdr.data?.['CHOICE'], 'sales', 'the IVR variables travel with the call');
    assert.equal(cdr.data?.['reason'], 'sales');
    assert.equal(cdr.data?.['province'], '北京市', 'the caller’s home region (号段)');
    const steps = await t.server.store.ivrSteps.listByCall(cdr.callId);
    ctx.diagnostic(
      `IVR steps: ${steps.map((s) => `${s.nodeId}→${s.exit ?? '·'}(${s.digits ?? ''})`).join(' ')}`,
    );
    assert.deepEqual(
      steps.map((s) => s.nodeId),
      ['menu', 'sales', 'toSales'],
    );
    assert.equal(steps[0]?.digits, '1', 'the key sipp pressed is in the step log');
    assert.ok(
      audible(packets).length > 25,
      `the carrier heard the menu (${audible(packets).length} audible packets)`,
    );
  });

  it('plays the warning to a blacklisted caller and hangs up', async (ctx) => {
    routingAt = OPEN;
    const { run, spoken, cdr } = await callUntilHungUp('13900001111');
    assert.ok(receivedMessages(run.messages).some((m) => /^BYE /.test(m)));
    ctx.diagnostic(`the blacklisted caller heard ${spoken} audible packets`);
    assert.ok(spoken > 25, 'the warning was played');
    assert.equal(cdr.hangupBy, 'system', 'Hotline hung up');
    const steps = await t.server.store.ivrSteps.listByCall(cdr.callId);
    assert.equal(steps.length, 0, 'the IVR never ran');
  });

  for (const [label, at] of [
    ['outside business hours', NIGHT],
    ['on a public holiday (National Day)', NATIONAL_DAY],
  ] as const) {
    it(`gives the closed announcement ${label}, not the menu`, async (ctx) => {
      routingAt = at;
      const { spoken, cdr } = await callUntilHungUp('13800138000');
      ctx.diagnostic(`the caller heard ${spoken} audible packets`);
      assert.ok(spoken > 25, 'the announcement was played');
      assert.equal(cdr.callee, '96110');
      assert.equal(cdr.hangupBy, 'system');
      assert.equal((await t.server.store.ivrSteps.listByCall(cdr.callId)).length, 0, 'no menu');
    });
  }

  it('takes a reloaded flow for new calls without a restart, and refuses a reload with a broken flow', async (ctx) => {
    routingAt = OPEN;
    const withFlow = (flow: unknown) =>
      parseConfig(
        JSON.stringify({ ...t.config, ivr: { ...t.config.ivr, flows: { hotline: flow } } }),
        'reloaded',
      );
    // Version 2: the menu's option 1 now ends the call instead of ringing sales.
    const v2 = { ...FLOW, nodes: { ...FLOW.nodes, menu: { ...FLOW.nodes.menu, options: { '1': 'bye' } } } };
    t.server.reload(withFlow(v2));
    t.server.reload(withFlow({ ...v2, start: 'nowhere' })); // refused: the start node does not exist
    // The menu times out and version 2 hangs up.
    const { cdr } = await callUntilHungUp('13800138000', 40);
    const steps = await t.server.store.ivrSteps.listByCall(cdr.callId);
    ctx.diagnostic(`steps: ${steps.map((s) => `${s.nodeId}@v${s.flowVersion}`).join(' ')}`);
    assert.equal(cdr.data?.['ivrFlow'], 'hotline@2', 'the new call runs version 2');
    assert.ok(steps.length > 0 && steps.every((s) => s.flowVersion === 2));
  });
});
