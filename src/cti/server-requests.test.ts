import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CtiError } from './errors.js';
import {
  AGENT_REQUEST_TYPES,
  ctiResponseSchema,
  ctiResultSchemas,
  SUPERVISOR_REQUEST_TYPES,
  type CtiResponse,
} from './protocol.js';
import type { CtiServer } from './server.js';
import {
  FakeCtiBackend,
  SAMPLE_REQUESTS,
  startFakeCtiServer,
  TEST_TOKENS,
  TestCtiClient,
} from './testing.js';

function errorOf(response: CtiResponse) {
  assert.equal(response.ok, false, `expected an error, got ${JSON.stringify(response)}`);
  return response.ok ? undefined : response.error;
}

describe('CTI server requests', () => {
  let server: CtiServer;
  let fake: FakeCtiBackend;
  let agent: TestCtiClient;
  let supervisor: TestCtiClient;
  let crm: TestCtiClient;

  before(async () => {
    ({ server, fake } = await startFakeCtiServer());
    agent = await TestCtiClient.connect(server.port, TEST_TOKENS.agent1001);
    supervisor = await TestCtiClient.connect(server.port, TEST_TOKENS.supervisor);
    crm = await TestCtiClient.connect(server.port, TEST_TOKENS.crm);
  });
  after(async () => {
    await Promise.all([agent.close(), supervisor.close(), crm.close()]);
    await server.close();
  });

  it('answers every agent request of an agent token with a result of the documented shape', async () => {
    for (const type of AGENT_REQUEST_TYPES) {
      const before = fake.received.length;
      const response = await agent.request({ ...SAMPLE_REQUESTS[type], id: `agent-${type}` });
      assert.ok(ctiResponseSchema.safeParse(response).success);
      assert.equal(response.id, `agent-${type}`);
      assert.ok(response.ok, `${type}: ${JSON.stringify(response)}`);
      assert.ok(ctiResultSchemas[type].safeParse(response.result).success, `${type} result shape`);
      const received = fake.received[before];
      assert.equal(received?.type, type);
      assert.equal(received?.caller.agent, '1001');
      assert.equal(received?.caller.identity.name, 'desk-1001');
    }
  });

  it('answers every supervisor request of a supervisor token', async () => {
    for (const type of SUPERVISOR_REQUEST_TYPES) {
      const response = await supervisor.request(SAMPLE_REQUESTS[type]);
      assert.ok(response.ok, `${type}: ${JSON.stringify(response)}`);
      assert.ok(ctiResultSchemas[type].safeParse(response.result).success, `${type} result shape`);
    }
    assert.deepEqual(
      fake.received.filter((r) => r.caller.identity.role === 'supervisor').map((r) => r.type),
      SUPERVISOR_REQUEST_TYPES.filter((t) => t !== 'watch' && t !== 'unwatch'),
    );
  });

  it('names the invalid field in the error and keeps the connection open', async () => {
    const error = errorOf(
      await agent.request({ type: 'consult', callId: 'c-1001', target: { type: 'number', number: 'x' } }),
    );
    assert.equal(error?.code, 'BAD_REQUEST');
    assert.equal(error?.field, 'target.number');
    assert.match(error?.reason ?? '', /^target\.number: /);
    assert.equal((await agent.request({ type: 'ready' })).ok, true);
  });

  it('answers invalid JSON with BAD_REQUEST and a null id', async () => {
    const response = await agent.sendRaw('{"v":1,"id":', null);
    assert.equal(response.id, null);
    assert.equal(errorOf(response)?.code, 'BAD_REQUEST');
    assert.equal((await agent.request({ type: 'ready' })).ok, true);
  });

  it('answers an unknown request type with BAD_REQUEST on the field "type"', async () => {
    const error = errorOf(await agent.request({ type: 'launchMissiles' }));
    assert.equal(error?.code, 'BAD_REQUEST');
    assert.equal(error?.field, 'type');
  });

  it('refuses another protocol version with UNSUPPORTED_VERSION', async () => {
    const error = errorOf(await agent.request({ v: 2, type: 'ready' }));
    assert.equal(error?.code, 'UNSUPPORTED_VERSION');
  });

  it("refuses an agent's request on another agent's call with NOT_YOUR_CALL before the backend sees it", async () => {
    const before = fake.received.length;
    assert.equal(errorOf(await agent.request({ type: 'hangup', callId: 'c-1002' }))?.code, 'NOT_YOUR_CALL');
    assert.equal(errorOf(await agent.request({ type: 'hangup', callId: 'c-none' }))?.code, 'NOT_FOUND');
    assert.equal(fake.received.length, before);
  });

  it('refuses supervisor requests from an agent or integration token with FORBIDDEN', async () => {
    const before = fake.received.length;
    assert.equal(errorOf(await agent.request(SAMPLE_REQUESTS.forceRelease))?.code, 'FORBIDDEN');
    assert.equal(errorOf(await crm.request(SAMPLE_REQUESTS.barge))?.code, 'FORBIDDEN');
    assert.equal(errorOf(await agent.request({ type: 'ready', agent: '1002' }))?.code, 'FORBIDDEN');
    assert.equal(fake.received.length, before);
  });

  it('lets an integration click-to-dial for a named agent', async () => {
    const response = await crm.request({ type: 'makeCall', agent: '1002', number: '13800138000' });
    assert.ok(response.ok);
    assert.equal(fake.received.at(-1)?.caller.agent, '1002');
  });

  it("passes a backend's coded error through and hides an uncoded one as INTERNAL", async () => {
    fake.failures.set('answer', new CtiError('INVALID_STATE', 'call c-1001 is not ringing'));
    const coded = errorOf(await agent.request({ type: 'answer', callId: 'c-1001' }));
    assert.deepEqual(coded, { code: 'INVALID_STATE', reason: 'call c-1001 is not ringing' });
    fake.failures.set('hold', new Error('database on fire'));
    const internal = errorOf(await agent.request({ type: 'hold', callId: 'c-1001' }));
    assert.equal(internal?.code, 'INTERNAL');
    assert.doesNotMatch(internal?.reason ?? '', /fire/);
  });
});
