import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCtiError } from '../errors.js';
import { agentCaller, clickToDial, ctiRig, req } from './test-rig.js';
import type { AgentPort } from './types.js';

describe('CTI hold and retrieve tell the ACD', () => {
  test("hold and retrieve report the agent's hold to the ACD port, once each, after the party is held", async () => {
    const told: string[] = [];
    // Only callHeld is used by hold and retrieve; the rest of the port stays out of the test.
    const agents = {
      callHeld: (callId: string, agent: string, held: boolean) => told.push(`${callId} ${agent} ${held}`),
    } as unknown as AgentPort;
    const t = ctiRig({ agents });
    const callId = await clickToDial(t);
    await t.backend.hold(req('hold', { callId }), agentCaller('1001'));
    assert.deepEqual(told, [`${callId} 1001 true`]);
    await assert.rejects(t.backend.hold(req('hold', { callId }), agentCaller('1001')), (err: unknown) =>
      isCtiError(err, 'INVALID_STATE'),
    );
    await t.backend.retrieve(req('retrieve', { callId }), agentCaller('1001'));
    assert.deepEqual(told, [`${callId} 1001 true`, `${callId} 1001 false`], 'a refused hold tells nothing');
  });
});
