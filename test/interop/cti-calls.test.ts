/**
 * The CTI server over real calls: agent desktops (real WebSocket clients) drive sipp phones
 * through Hotline. Click-to-dial rings the agent's own phone, then the number; hold,
 * retrieve and hangup act on the live call; a supervisor listens in and hears both parties
 * while neither hears the supervisor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCtiClient } from '../../src/cti/testing.js';
import type { CtiEvent } from '../../src/cti/index.js';
import { cdrWhere, mediaPort, pcapOf, registerPhone, type ExtensionNumber } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { sine, toDb, tonePower } from './harness/signals.js';
import { runSipp, type SippRun } from './harness/sipp.js';
import { connectCti, ctiSection } from './harness/cti.js';

const TOKENS = {
  agent1001: 'interop-token-agent-1001',
  agent1003: 'interop-token-agent-1003',
  lead: 'interop-token-supervisor-1003',
};

describe('CTI call operations with real phones', () => {
  let t: TestServer;
  let ctiPort: number;
  const clients: TestCtiClient[] = [];
  before(async () => {
    ctiPort = await freePort();
    t = await startTestServer({
      config: {
        cti: ctiSection(ctiPort, [
          { token: TOKENS.agent1001, role: 'agent', agent: '1001', name: 'desk-1001' },
          { token: TOKENS.agent1003, role: 'agent', agent: '1003', name: 'desk-1003' },
          { token: TOKENS.lead, role: 'supervisor', agent: '1003', name: 'lead' },
        ]),
      },
    });
  });
  after(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  const connect = (token: string) => connectCti(ctiPort, token, clients);
  const eventOf = (client: TestCtiClient, name: CtiEvent['event'], callId: string) =>
    client.until(
      () => client.events.some((e) => e.event === name && 'callId' in e && e.callId === callId),
      15_000,
    );

  /** A sipp phone for `number` that answers one call (playing `hz` when given) and takes the BYE. */
  async function phone(number: ExtensionNumber, hz?: number) {
    const port = await freePort();
    await registerPhone(t, number, port);
    const media = await mediaPort();
    const run = runSipp({
      scenario: hz === undefined ? 'answer.xml' : 'answer-play.xml',
      server: t.sipPort,
      localPort: port,
      mediaPort: media,
      timeoutSeconds: 40,
      ...(hz === undefined ? {} : { files: { 'audio.pcap': pcapOf(sine(hz, 12, -12), 0x1000 + hz) } }),
    });
    return { media, done: run.done };
  }

  const ok = (run: SippRun) => assert.equal(run.code, 0, run.errors || run.stdout);

  it('click-to-dial rings 1001 then 1002; hold, retrieve and hangup act on the call; 1003 may not touch it', async () => {
    const since = Date.now();
    const [p1001, p1002] = [await phone('1001'), await phone('1002')];
    const desk = await connect(TOKENS.agent1001);
    const made = await desk.request({ type: 'makeCall', number: '1002' });
    assert.equal(made.ok, true, JSON.stringify(made));
    const callId = made.ok ? (made.result as { callId: string }).callId : '';
    await eventOf(desk, 'callAnswered', callId);

    const other = await connect(TOKENS.agent1003);
    const refused = await other.request({ type: 'hangup', callId });
    assert.deepEqual(refused.ok ? undefined : refused.error.code, 'NOT_YOUR_CALL');

    assert.equal((await desk.request({ type: 'hold', callId })).ok, true);
    await eventOf(desk, 'callHeld', callId);
    assert.equal((await desk.request({ type: 'retrieve', callId })).ok, true);
    await eventOf(desk, 'callRetrieved', callId);

    assert.equal((await desk.request({ type: 'hangup', callId })).ok, true);
    await eventOf(desk, 'callEnded', callId);
    ok(await p1001.done);
    ok(await p1002.done);
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    assert.equal(cdr.caller, '1001');
    assert.equal(cdr.callee, '1002');
    assert.equal(cdr.disposition, 'answered');
  });

  it('a supervisor monitoring a call hears both parties, and neither hears the supervisor', async (ctx) => {
    const tones = { '1001': 440, '1002': 1000, '1003': 1700 } as const;
    const phones = {
      '1001': await phone('1001', tones['1001']),
      '1002': await phone('1002', tones['1002']),
      '1003': await phone('1003', tones['1003']),
    };
    const captures = {
      '1001': await capturePackets(`dst port ${phones['1001'].media}`),
      '1002': await capturePackets(`dst port ${phones['1002'].media}`),
      '1003': await capturePackets(`dst port ${phones['1003'].media}`),
    };
    const desk = await connect(TOKENS.agent1001);
    const made = await desk.request({ type: 'makeCall', number: '1002' });
    const callId = made.ok ? (made.result as { callId: string }).callId : assert.fail(JSON.stringify(made));
    await eventOf(desk, 'callAnswered', callId);
    const lead = await connect(TOKENS.lead);
    const monitored = await lead.request({ type: 'monitor', callId });
    assert.equal(monitored.ok, true, JSON.stringify(monitored));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal((await desk.request({ type: 'hangup', callId })).ok, true);
    for (const p of Object.values(phones)) ok(await p.done);

    const heard = {
      '1001': concatAudio(rtpPackets(await captures['1001'].stop())),
      '1002': concatAudio(rtpPackets(await captures['1002'].stop())),
      '1003': concatAudio(rtpPackets(await captures['1003'].stop())),
    };
    const level = (who: keyof typeof heard, from: keyof typeof tones) =>
      toDb(tonePower(heard[who], tones[from]));
    for (const who of ['1001', '1002', '1003'] as const) {
      ctx.diagnostic(
        `${who} heard ${(heard[who].length / 8000).toFixed(1)} s: ` +
          (['1001', '1002', '1003'] as const)
            .map((f) => `${tones[f]} Hz ${level(who, f).toFixed(1)} dB`)
            .join(', '),
      );
    }
    assert.ok(heard['1003'].length >= 3 * 8000, 'the supervisor received at least 3 s of audio');
    assert.ok(level('1003', '1001') > -30, 'the supervisor hears 1001');
    assert.ok(level('1003', '1002') > -30, 'the supervisor hears 1002');
    // −12 dBFS peak sines carry about −15 dB; the supervisor's tone must be far below the partner's.
    assert.ok(level('1001', '1003') < level('1001', '1002') - 20, '1001 does not hear the supervisor');
    assert.ok(level('1002', '1003') < level('1002', '1001') - 20, '1002 does not hear the supervisor');
  });
});
