import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CtiServer } from './server.js';
import { FakeCtiBackend, startFakeCtiServer, TEST_TOKENS } from './testing.js';

describe('CTI server: GET /acd/stats', () => {
  let server: CtiServer;
  let fake: FakeCtiBackend;
  before(async () => {
    ({ server, fake } = await startFakeCtiServer());
  });
  after(() => server.close());

  const get = (path: string, token?: string) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  it('answers a supervisor with the backend figures as JSON, asking for the queues and agents named', async () => {
    const res = await get('/acd/stats?queues=sales,support&agents=1001', TEST_TOKENS.supervisor);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { queues: [], agents: [] });
    const seen = fake.received.at(-1);
    assert.equal(seen?.type, 'stats');
    assert.deepEqual(seen?.request, {
      v: 1,
      id: 'http',
      type: 'stats',
      queues: ['sales', 'support'],
      agents: ['1001'],
    });
  });

  it('lets an integration token (a wallboard) read them, with every queue and agent when none is named', async () => {
    const res = await get('/acd/stats', TEST_TOKENS.crm);
    assert.equal(res.status, 200);
    assert.deepEqual(fake.received.at(-1)?.request, { v: 1, id: 'http', type: 'stats' });
  });

  it('refuses a missing token with 401 and an agent token with 403, naming why', async () => {
    const before = fake.received.length;
    const anonymous = await get('/acd/stats');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
    const agent = await get('/acd/stats', TEST_TOKENS.agent1001);
    assert.equal(agent.status, 403);
    const body = (await agent.json()) as { code: string; reason: string };
    assert.equal(body.code, 'FORBIDDEN');
    assert.match(body.reason, /supervisor/);
    assert.equal(fake.received.length, before, 'the backend was not asked');
  });

  it('names a bad queue name in a 400, and sends other paths to the WebSocket', async () => {
    const bad = await get('/acd/stats?queues=no%20spaces', TEST_TOKENS.supervisor);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { reason: string }).reason, /^queues\.0:/);
    const other = await get('/elsewhere', TEST_TOKENS.supervisor);
    assert.equal(other.status, 426);
    await other.text();
  });
});
