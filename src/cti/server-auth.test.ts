import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CtiServer } from './server.js';
import { startFakeCtiServer, TEST_TOKENS, TestCtiClient } from './testing.js';

describe('CTI server authentication', () => {
  let server: CtiServer;
  before(async () => {
    ({ server } = await startFakeCtiServer());
  });
  after(() => server.close());

  it('refuses an upgrade without a token with HTTP 401', async () => {
    await assert.rejects(TestCtiClient.connect(server.port), /HTTP 401/);
  });

  it('refuses an upgrade with a wrong token with HTTP 401', async () => {
    await assert.rejects(TestCtiClient.connect(server.port, 'test-token-agent-1001x'), /HTTP 401/);
    await assert.rejects(TestCtiClient.connect(server.port, 'nope', true), /HTTP 401/);
  });

  it('accepts the token in the Authorization header or in the token query parameter', async () => {
    for (const viaQuery of [false, true]) {
      const client = await TestCtiClient.connect(server.port, TEST_TOKENS.agent1001, viaQuery);
      const response = await client.request({ type: 'ready' });
      assert.equal(response.ok, true);
      await client.close();
    }
  });

  it('answers 404 to an upgrade on another path', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other`, {
      headers: { authorization: `Bearer ${TEST_TOKENS.agent1001}` },
    });
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('error', () => resolve(undefined));
    });
    assert.equal(status, 404);
  });
});
