/**
 * What a waiting caller hears and can do, with real phones. Agent 1002 (a sipp phone) is
 * ready but busy with a first caller; two more callers (sipp) wait in the queue and hear,
 * between stretches of music on hold, their own position ("You are next in line", "You are
 * number two in line") and an estimated wait worked out from the queue's handle time and
 * staffing — judged from the RTP each caller's socket received, against the server's own
 * TTS of each sentence. A caller pressing the queue's exit key (RFC 4733) reaches extension
 * 1003 (EXITWITHKEY).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { announcedMinutes, estimateWaitSeconds } from '../../src/acd/ewt.js';
import {
  agentPhone,
  callEntering,
  callFrom1001,
  events,
  pause,
  queueLogOf,
  ran,
  rowOf,
  until,
} from './harness/acd.js';
import { cdrWhere, dialling, mediaPort, registerPhone } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { writeKeyPressPcap } from './harness/dtmf-pcap.js';
import { concatAudio, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { startTestServer, type TestServer } from './harness/server.js';
import { matchWindows } from './harness/signals.js';
import { runSipp, type SippRun } from './harness/sipp.js';
import { heardShare, spokenPrompt } from './harness/spoken.js';
import { readWav } from './harness/wav.js';

const INFO_DID = '96140';
const EXIT_DID = '96141';
/** Seconds between announcements; a caller waiting 12 s hears two. */
const EVERY = 5;
const HANDLE_SECONDS = 150;

/** The whole minutes announced to the caller at `position` (ewt.ts), from the queue's state. */
function wait(position: number, staffedAgents: number, idleAgents: number): number {
  const seconds = estimateWaitSeconds({ position, staffedAgents, idleAgents, handleSeconds: HANDLE_SECONDS });
  return seconds === undefined ? NaN : announcedMinutes(seconds);
}

/** The sentences callers at positions 1 and 2 should hear, given the minutes announced to each. */
async function prompts(t: TestServer, minutes: (position: number) => number) {
  return {
    next: await spokenPrompt(t, 'queue-position', { position: 1 }),
    two: await spokenPrompt(t, 'queue-position', { position: 2 }),
    waitNext: await spokenPrompt(t, 'estimated-wait', { minutes: minutes(1) }),
    waitTwo: await spokenPrompt(t, 'estimated-wait', { minutes: minutes(2) }),
  };
}

/** 1001 calls the queue and stays `ms` after the answer, its RTP going to `media`. */
async function waitingCaller(t: TestServer, media: number, ms: number): Promise<SippRun> {
  return runSipp({
    scenario: 'call-pause-bye.xml',
    server: t.sipPort,
    localPort: await freePort(),
    mediaPort: media,
    fields: [`${dialling('1001', INFO_DID)};${ms}`],
    timeoutSeconds: 40,
  }).done;
}

describe('a waiting caller: announcements and the exit key', () => {
  let t: TestServer;
  const scratch = mkdtempSync(path.join(tmpdir(), 'hotline-announce-'));
  before(async () => {
    t = await startTestServer({
      config: {
        tts: { language: 'en', rate: 1.5 },
        registrar: { qualifyInterval: 0 }, // sipp phones take no OPTIONS
        inbound: {
          numbers: [
            { number: INFO_DID, destination: { type: 'queue', queue: 'info' } },
            { number: EXIT_DID, destination: { type: 'queue', queue: 'exit' } },
          ],
        },
        acd: {
          queues: [
            {
              name: 'info',
              announce: { everySeconds: EVERY },
              defaultHandleSeconds: HANDLE_SECONDS,
              wrapUpSeconds: 0,
              ringTimeoutSeconds: 15,
            },
            { name: 'exit', exit: { key: '0', to: { type: 'extension', number: '1003' } } },
          ],
          agents: [{ agent: '1002', queues: [{ queue: 'info' }] }],
        },
      },
    });
  });
  after(async () => {
    await t.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('tells each waiting caller its position and the estimated wait, between music on hold', async (ctx) => {
    const agent = await agentPhone(t, '1002', 'answer.xml');
    t.server.acd.login('1002', undefined, { ready: true });
    const first = callFrom1001(t, INFO_DID, 18_000); // talks to 1002 while the others wait
    await until(() => t.server.acd.agentStatus(['1002'])[0]?.activity === 'onCall', '1002 on the first call');

    // Synthesized now, the sentences are in the server's TTS cache before the first announcement,
    // which then starts on time (one ready agent, busy: the state set up here).
    await prompts(t, (p) => wait(p, 1, 0));
    const [mediaB, mediaC] = [await mediaPort(), await mediaPort()];
    const capture = await capturePackets(`dst port ${mediaB} or dst port ${mediaC}`);
    const callerB = waitingCaller(t, mediaB, 12_000);
    await pause(1000);
    const callerC = waitingCaller(t, mediaC, 11_000);
    await pause(2000);
    // The queue's state the estimate is made from: who is staffed and free, the handle time.
    const stats = t.server.acd.queueStats(['info'])[0];
    ctx.diagnostic(`queue while they wait: ${JSON.stringify(stats)}`);
    assert.equal(stats?.waiting, 2);
    ran(await callerB, 'caller B waited and hung up');
    ran(await callerC, 'caller C waited and hung up');
    const packets = rtpPackets(await capture.stop());
    ran(await first, 'the first caller talked to 1002');
    ran(await agent.done, '1002 answered the first call');

    const staffed = stats?.agentsReady ?? 0;
    const idle = staffed - (stats?.agentsOnCall ?? 0);
    const minutes = (position: number) => wait(position, staffed, idle);
    ctx.diagnostic(`staffed ${staffed}, idle ${idle}: ${minutes(1)} and ${minutes(2)} minutes`);
    assert.notEqual(minutes(1), minutes(2), 'the two positions have different estimates');
    const sentences = await prompts(t, minutes);
    const music = readWav(path.join(t.dataDir, 'moh', 'default', 'default.wav')).samples;
    for (const [who, port, own, other, ownWait, otherWait] of [
      ['B', mediaB, sentences.next, sentences.two, sentences.waitNext, sentences.waitTwo],
      ['C', mediaC, sentences.two, sentences.next, sentences.waitTwo, sentences.waitNext],
    ] as const) {
      const audio = concatAudio(packets.filter((p) => p.dstPort === port));
      const share = {
        own: heardShare(audio, own),
        other: heardShare(audio, other),
        ownWait: heardShare(audio, ownWait),
        otherWait: heardShare(audio, otherWait),
      };
      ctx.diagnostic(
        `caller ${who} (${(audio.length / 8000).toFixed(1)} s of audio): ${JSON.stringify(share)}`,
      );
      assert.ok(share.own >= 0.9, `caller ${who} heard its own position`);
      assert.ok(share.other < share.own - 0.2, `caller ${who} did not hear the other position`);
      assert.ok(share.ownWait >= 0.9, `caller ${who} heard its estimated wait`);
      assert.ok(share.otherWait < share.ownWait - 0.1, `caller ${who} did not hear the other estimate`);

      // Music before the first announcement and again after it (before the second).
      const at = (sentence: Float32Array) =>
        matchWindows(sentence, audio, { windowSeconds: 0.25 })
          .filter((w) => w.peak > 0.8)
          .map((w) => w.at);
      const firstWord = Math.min(...at(own));
      // The first announcement is the two sentences back to back; music until the next one.
      const lastWord = firstWord + own.length + ownWait.length;
      const nextAnnouncement = Math.min(...at(own).filter((x) => x > lastWord));
      const musicAt = matchWindows(music, audio, { windowSeconds: 0.25 }).filter((w) => w.peak > 0.9);
      const [before, afterwards] = [
        musicAt.filter((w) => w.at < firstWord).length,
        musicAt.filter((w) => w.at > lastWord && w.at < nextAnnouncement).length,
      ];
      ctx.diagnostic(
        `caller ${who}: announcement at ${(firstWord / 8000).toFixed(1)}–${(lastWord / 8000).toFixed(1)} s, ` +
          `${before} music windows before it, ${afterwards} after`,
      );
      assert.ok(before >= 8, `caller ${who} heard music (≥ 2 s) before the announcement`);
      assert.ok(afterwards >= 4, `caller ${who} heard the music resume after it`);
    }
  });

  it('lets a waiting caller press the exit key to reach the exit destination (EXITWITHKEY)', async (ctx) => {
    const since = Date.now();
    const port = await freePort();
    await registerPhone(t, '1003', port);
    // 1003 answers the caller sent to it and hangs up after two seconds.
    const target = runSipp({
      scenario: 'answer-hangup.xml',
      server: t.sipPort,
      localPort: port,
      mediaPort: await mediaPort(),
      timeoutSeconds: 40,
    }).done;
    const keys = path.join(scratch, 'keys.pcap');
    writeKeyPressPcap(keys, [{ key: '0', at: 0 }]);
    const caller = await runSipp({
      scenario: 'call-keys-until-bye.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: await mediaPort(),
      fields: [`${dialling('1001', EXIT_DID)};1500`],
      files: { 'keys.pcap': keys },
      timeoutSeconds: 40,
    }).done;
    ran(caller, '1001 pressed 0 and was hung up');
    ran(await target, '1003 answered the caller and hung up');
    const callId = await callEntering(t, 'exit', since);
    const cdr = await cdrWhere(t, since, (c) => c.callId === callId);
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.callee, '1003');
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.['queueResult'], 'exitKey');
    const rows = await queueLogOf(t, callId, 'EXITWITHKEY');
    ctx.diagnostic(`queue log: ${events(rows).join(' ')}`);
    assert.deepEqual(events(rows), ['ENTERQUEUE:NONE', 'EXITWITHKEY:NONE']);
    assert.equal(rowOf(rows, 'EXITWITHKEY').data[0], '0', 'the key pressed');
    assert.ok(Number(rowOf(rows, 'EXITWITHKEY').data[3]) >= 1, 'after waiting about 1.5 s');
  });
});
