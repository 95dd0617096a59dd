/**
 * The DTMF test service (*44 by default) with real phones: a spoken introduction, each key
 * read back, and the keys in the call's CDR (data.digits). sipp presses a key with RFC 4733
 * telephone-events from its bundled pcap; baresip presses keys from its own keypad code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBaresip } from './harness/baresip.js';
import { cdrWhere, dialling, mediaPort } from './harness/calls.js';
import { capturePackets } from './harness/capture.js';
import { audible, rtpPackets } from './harness/pcap.js';
import { freePort } from './harness/ports.js';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { levelDbfs } from './harness/signals.js';
import { runSipp } from './harness/sipp.js';
import { readWav } from './harness/wav.js';

const [ext1001] = EXTENSIONS;

describe('the DTMF test service (*44)', () => {
  let t: TestServer;
  let scratch: string;
  before(async () => {
    // English at 1.5× keeps the introduction near 3.5 s (Mandarin at 1× is 10 s).
    t = await startTestServer({ config: { tts: { language: 'en', rate: 1.5 } } });
    scratch = mkdtempSync(path.join(tmpdir(), 'hotline-dtmf-'));
  });
  after(async () => {
    await t.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * 1001 calls *44 with `scenario`, which presses "1" from sipp's dtmf_2833_1.pcap 0.5 s after
   * the answer and stays up 9 s more (the introduction, then the read-back). Returns the CDR
   * and the RTP sipp's media port received.
   */
  async function pressOne(scenario: string) {
    const since = Date.now();
    const media = await mediaPort();
    const capture = await capturePackets(`dst port ${media}`);
    const run = await runSipp({
      scenario,
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort: media,
      fields: [`${dialling('1001', '*44')};9000`],
    }).done;
    const packets = rtpPackets(await capture.stop());
    assert.equal(run.code, 0, run.errors || run.stdout);
    const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '*44');
    return { cdr, packets, spoken: audible(packets) };
  }

  it('hears a key sipp sends as an RFC 4733 telephone-event, writes it to the CDR and speaks to the caller', async (ctx) => {
    const { cdr, packets, spoken } = await pressOne('call-dtmf.xml');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.digits, '1', 'the key pressed is in the CDR');
    ctx.diagnostic(
      `sipp's media port received ${packets.length} RTP packets, ${spoken.length} of them audible`,
    );
    assert.ok(spoken.length > 50, `the caller heard the prompts (${spoken.length} audible packets)`);
  });

  it('takes the answer from the ACK when the INVITE has no SDP (late offer), then hears the key', async (ctx) => {
    const { cdr, packets, spoken } = await pressOne('call-dtmf-late-offer.xml');
    ctx.diagnostic(`CDR: ${JSON.stringify(cdr)}`);
    assert.equal(cdr.disposition, 'answered');
    assert.equal(cdr.data?.digits, '1', 'the key pressed after the ACK is in the CDR');
    ctx.diagnostic(`sipp's media port received ${packets.length} RTP packets, ${spoken.length} audible`);
    assert.ok(
      spoken.length > 50,
      `the caller heard the prompts at the address its ACK gave (${spoken.length})`,
    );
    assert.ok(
      packets.every((p) => p.payloadType === 8 || p.payloadType === 101),
      'Hotline sends the codec the ACK chose (PCMA)',
    );
  });

  it('hears keys baresip sends from its keypad, and baresip hears the prompts', async (ctx) => {
    const since = Date.now();
    const silence = path.join(scratch, 'silence.wav');
    execFileSync('sox', [
      '-n',
      '-r',
      '8000',
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      silence,
      'trim',
      '0',
      '40',
    ]);
    const phone = await startBaresip({
      server: t.sipPort,
      user: ext1001.number,
      password: ext1001.password,
      audioSource: silence,
    });
    try {
      await phone.registered();
      const mark = phone.mark();
      await phone.command('dial', `sip:*44@127.0.0.1:${t.sipPort}`);
      const established = await phone.waitFor('CALL_ESTABLISHED', { since: mark, timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 1000));
      // baresip's "sndcode" presses each key of its argument and releases it.
      await phone.command('sndcode', '4');
      await new Promise((r) => setTimeout(r, 1000));
      await phone.command('sndcode', '7');
      await new Promise((r) => setTimeout(r, 8000));
      await phone.command('hangup');
      await phone.waitFor('CALL_CLOSED', { since: mark, timeoutMs: 5000 });
      const cdr = await cdrWhere(t, since, (c) => c.caller === '1001' && c.callee === '*44');
      ctx.diagnostic(`baresip Call-ID ${established.id}; CDR: ${JSON.stringify(cdr)}`);
      assert.equal(cdr.disposition, 'answered');
      assert.equal(cdr.data?.digits, '47', 'both keys, in order, are in the CDR');

      // What baresip decoded from the network (sndfile): prompts, not silence.
      const heard = readWav(phone.recordings().received);
      const frame = 160;
      let loud = 0;
      for (let at = 0; at + frame <= heard.samples.length; at += frame)
        if (levelDbfs(heard.samples, at, at + frame) > -45) loud++;
      ctx.diagnostic(
        `baresip decoded ${(heard.samples.length / 8000).toFixed(1)} s, ${loud * 20} ms of it audible`,
      );
      assert.ok(loud * 0.02 > 2, `baresip heard at least 2 s of prompts (${loud * 20} ms)`);
    } finally {
      await phone.stop();
    }
  });
});
