import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receives } from './audience.js';
import { authorize, callsToCheck, findIdentity, presentedToken } from './auth.js';
import { isCtiError, type CtiErrorCode } from './errors.js';
import { ctiRequestSchema, type CtiRequest } from './protocol.js';
import { SAMPLE_REQUESTS } from './testing.js';
import type { CtiIdentity } from './types.js';

const agent1001: CtiIdentity = { name: 'desk-1001', role: 'agent', agent: '1001' };
const supervisor: CtiIdentity = { name: 'lead', role: 'supervisor', agent: '8001' };
const crm: CtiIdentity = { name: 'crm', role: 'integration' };

const req = (body: Record<string, unknown>): CtiRequest => ctiRequestSchema.parse({ v: 1, id: 1, ...body });

function refuses(identity: CtiIdentity, body: Record<string, unknown>, code: CtiErrorCode): void {
  assert.throws(
    () => authorize(identity, req(body)),
    (err) => isCtiError(err, code),
    `${identity.name} ${String(body['type'])} → ${code}`,
  );
}

describe('CTI tokens', () => {
  const tokens = [
    { token: 'secret-agent-token-1001', role: 'agent' as const, name: 'desk-1001', agent: '1001' },
    { token: 'secret-crm-token-00000', role: 'integration' as const, name: 'crm' },
  ];

  it('finds the identity of a known token and nothing for a wrong or missing one', () => {
    assert.deepEqual(findIdentity(tokens, 'secret-agent-token-1001'), agent1001);
    assert.deepEqual(findIdentity(tokens, 'secret-crm-token-00000'), crm);
    assert.equal(findIdentity(tokens, 'secret-agent-token-1002'), undefined);
    assert.equal(findIdentity(tokens, ''), undefined);
    assert.equal(findIdentity(tokens, undefined), undefined);
  });

  it('takes the bearer header first, then the token query parameter', () => {
    const url = new URL('http://h/cti?token=from-query');
    assert.equal(presentedToken('Bearer from-header', url), 'from-header');
    assert.equal(presentedToken(undefined, url), 'from-query');
    assert.equal(presentedToken('Basic abc', new URL('http://h/cti')), undefined);
  });
});

describe('CTI authorization', () => {
  it('lets an agent act as itself and refuses acting as another agent', () => {
    assert.deepEqual(authorize(agent1001, req({ type: 'ready' })), { agent: '1001' });
    assert.deepEqual(authorize(agent1001, req({ type: 'ready', agent: '1001' })), { agent: '1001' });
    refuses(agent1001, { type: 'ready', agent: '1002' }, 'FORBIDDEN');
  });

  it('refuses every supervisor request from an agent or integration token, except watching', () => {
    for (const type of [
      'monitor',
      'whisper',
      'barge',
      'forceRelease',
      'intercept',
      'forceLogout',
      'pickup',
      'moveCall',
    ] as const) {
      refuses(agent1001, SAMPLE_REQUESTS[type], 'FORBIDDEN');
      refuses(crm, SAMPLE_REQUESTS[type], 'FORBIDDEN');
      assert.doesNotThrow(() => authorize(supervisor, req(SAMPLE_REQUESTS[type])));
    }
    assert.doesNotThrow(() => authorize(crm, req({ type: 'watch', agents: ['1002'], queues: ['sales'] })));
  });

  it('lets supervisors and integrations (wallboards) read the figures, not agents', () => {
    refuses(agent1001, SAMPLE_REQUESTS.stats, 'FORBIDDEN');
    assert.doesNotThrow(() => authorize(supervisor, req(SAMPLE_REQUESTS.stats)));
    assert.doesNotThrow(() => authorize(crm, req(SAMPLE_REQUESTS.stats)));
  });

  it('lets an agent watch queues and itself but not other agents', () => {
    assert.doesNotThrow(() =>
      authorize(agent1001, req({ type: 'watch', queues: ['sales'], agents: ['1001'] })),
    );
    refuses(agent1001, { type: 'watch', agents: ['1002'] }, 'FORBIDDEN');
  });

  it('makes a token without an agent name the agent it acts for', () => {
    refuses(crm, { type: 'makeCall', number: '13800138000' }, 'BAD_REQUEST');
    assert.deepEqual(authorize(crm, req({ type: 'makeCall', number: '13800138000', agent: '1001' })), {
      agent: '1001',
    });
  });

  it('refuses listening-in for a supervisor token bound to no device', () => {
    refuses({ name: 'wallboard', role: 'supervisor' }, { type: 'monitor', callId: 'c' }, 'FORBIDDEN');
    assert.doesNotThrow(() =>
      authorize({ name: 'wallboard', role: 'supervisor' }, req({ type: 'forceReady', agent: '1' })),
    );
  });

  it('checks ownership of the call and of the consult call of agent requests only', () => {
    assert.deepEqual(callsToCheck(req({ type: 'conference', callId: 'a', consultCallId: 'b' })), ['a', 'b']);
    assert.deepEqual(callsToCheck(req({ type: 'monitor', callId: 'a' })), []);
  });
});

describe('CTI event audience', () => {
  const sub = (identity: CtiIdentity, queues: string[] = [], agents: string[] = []) => ({
    identity,
    watchedQueues: new Set(queues),
    watchedAgents: new Set(agents),
  });

  it('reaches the agent itself and watchers of the agent or the queue', () => {
    const audience = { agents: ['1001'], queues: ['sales'] };
    assert.equal(receives(sub(agent1001), audience), true);
    assert.equal(receives(sub(supervisor, ['sales']), audience), true);
    assert.equal(receives(sub(crm, [], ['1001']), audience), true);
    assert.equal(receives(sub(supervisor, ['support'], ['1002']), audience), false);
  });

  it("never gives an agent another agent's events through a queue it watches", () => {
    const other: CtiIdentity = { name: 'desk-1002', role: 'agent', agent: '1002' };
    assert.equal(receives(sub(other, ['sales']), { agents: ['1001'], queues: ['sales'] }), false);
  });
});
