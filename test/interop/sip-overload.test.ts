import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSIONS, startTestServer, type TestServer } from './harness/server.js';
import { auth, receivedMessages, runSipp } from './harness/sipp.js';
import { freePort } from './harness/ports.js';

describe('overload control against sipp', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      config: { limits: { maxCallsPerSecond: 10, maxCalls: 1000, retryAfter: 7 } },
    });
  });
  after(async () => t.stop());

  it('refuses new calls past the rate limit with 503 and Retry-After while admitted calls complete', async () => {
    const run = await runSipp({
      scenario: 'call-short-or-503.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};*43`],
      calls: 60,
      extra: ['-r', '60', '-l', '100'],
      timeoutSeconds: 60,
    }).done;
    // sipp fails a call on anything unexpected: exit 0 means every call was either
    // completed or cleanly refused with 503; none timed out or got a stray answer.
    assert.equal(run.code, 0, run.errors || run.stdout);
    const responses = receivedMessages(run.messages);
    const refused = responses.filter((m) => m.startsWith('SIP/2.0 503'));
    const answered = responses.filter((m) => m.startsWith('SIP/2.0 200') && /CSeq: 2 INVITE/.test(m));
    assert.ok(refused.length >= 20, `${refused.length} calls refused with 503`);
    assert.ok(answered.length >= 8, `${answered.length} calls admitted and answered`);
    assert.ok(
      refused.every((m) => /\r?\nRetry-After: 7\r?\n/.test(m)),
      'every 503 carries the configured Retry-After',
    );
    // Nothing is left stuck: every admitted call ended and released its slot.
    for (let i = 0; i < 50 && t.server.admission.activeCalls > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.server.admission.activeCalls, 0);
  });

  it('admits calls again once the rate falls', async () => {
    await new Promise((r) => setTimeout(r, 1200));
    const run = await runSipp({
      scenario: 'call-short-or-503.xml',
      server: t.sipPort,
      localPort: await freePort(),
      fields: [`1001;${auth('1001', EXTENSIONS[0].password)};*43`],
      calls: 3,
      extra: ['-r', '2'],
    }).done;
    assert.equal(run.code, 0, run.errors || run.stdout);
    assert.equal(receivedMessages(run.messages).filter((m) => m.startsWith('SIP/2.0 503')).length, 0);
  });
});
