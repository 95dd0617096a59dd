import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';
import { captureUdp } from './harness/capture.js';
import { DigestClient } from '../../src/sip/auth/index.js';

describe('SIP over TCP (sipp -t t1) and WebSocket (RFC 7118)', () => {
  let t: TestServer;
  let wsPort: number;
  before(async () => {
    wsPort = await freePort();
    t = await startTestServer({ config: { sip: { wsPort } } });
  });
  after(async () => t.stop());

  it('registers over TCP', async () => {
    const port = await freePort();
    const run = await runSipp({
      scenario: 'register.xml',
      server: t.sipPort,
      localPort: port,
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};${port};300`],
      extra: ['-t', 't1'],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    const [binding] = t.server.location.lookup('1001');
    assert.equal(binding?.source.transport, 'TCP');
  });

  it('calls *43 over TCP with the audio echoed back', async () => {
    const mediaPort = 2 * Math.floor((await freePort()) / 2);
    const capture = await captureUdp(`dst port ${mediaPort}`);
    const run = await runSipp({
      scenario: 'call.xml',
      server: t.sipPort,
      localPort: await freePort(),
      mediaPort,
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};*43`],
      extra: ['-t', 't1'],
    }).done;
    const packets = await capture.stop();
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.ok(packets.length >= 230, `${packets.length} RTP packets echoed`);
  });

  it('registers over WebSocket with subprotocol sip and digest authentication', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`, 'sip');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'sip');
    const next = () =>
      new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
    const register = (cseq: number, authorization?: string) =>
      [
        'REGISTER sip:127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws${cseq}x${Date.now()}`,
        'From: <sip:1002@127.0.0.1>;tag=wstag',
        'To: <sip:1002@127.0.0.1>',
        'Call-ID: ws-register-1',
        `CSeq: ${cseq} REGISTER`,
        'Contact: <sip:1002@df7jal23ls0d.invalid;transport=ws>',
        'Expires: 300',
        'Max-Forwards: 70',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    ws.send(register(1));
    const challenge = await next();
    assert.match(challenge, /^SIP\/2.0 401/);
    const header = /WWW-Authenticate: (.*)\r\n/.exec(challenge)?.[1];
    assert.ok(header);
    const authorization = new DigestClient().authorize({
      challengeHeader: header,
      method: 'REGISTER',
      uri: 'sip:127.0.0.1',
      username: '1002',
      password: EXTENSIONS[1].password,
    });
    ws.send(register(2, authorization));
    assert.match(await next(), /^SIP\/2.0 200/);
    const [binding] = t.server.location.lookup('1002');
    assert.equal(binding?.source.transport, 'WS');
    ws.close();
  });

  it('refuses a WebSocket without the sip subprotocol', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${wsPort}`, 'chat');
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
      ws.once('close', () => resolve('refused'));
    });
    assert.equal(outcome, 'refused');
  });
});

describe('SIP over secure WebSocket (WSS)', () => {
  let t: TestServer;
  let wssPort: number;
  before(async () => {
    // A self-signed certificate made with Debian's openssl for this run.
    const dir = mkdtempSync(path.join(tmpdir(), 'hotline-tls-'));
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    wssPort = await freePort();
    t = await startTestServer({ config: { sip: { wssPort, tls: { certFile, keyFile } } } });
  });
  after(async () => t.stop());

  it('answers an OPTIONS over TLS', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${wssPort}`, 'sip', { rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const answer = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
    ws.send(
      [
        'OPTIONS sip:127.0.0.1 SIP/2.0',
        'Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bKwss1',
        'From: <sip:1002@127.0.0.1>;tag=x',
        'To: <sip:127.0.0.1>',
        'Call-ID: wss-options-1',
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    assert.match(await answer, /^SIP\/2.0 200 OK/);
    ws.close();
  });
});
