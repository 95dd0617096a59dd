import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  agentCaller,
  clickToDial,
  ctiRig,
  req,
  settling,
  supervisorCaller,
  type CtiRig,
} from './test-rig.js';
import type { AgentPort } from './types.js';

/**
 * Only the ACD port's call methods are used here; the rest stays out of the test. The port
 * records each transfer, and whether the agent's leg was already gone when it heard.
 */
function withAcd(acdAgents: readonly string[] = []) {
  const told: string[] = [];
  const agents = {
    callAgents: () => acdAgents,
    callTransferred: (callId: string, agent: string, to: string) => {
      const gone = !t.rig.legsOf(agent).some((l) => l.isUp);
      told.push(`${callId} ${agent} → ${to}${gone ? ' (agent gone)' : ''}`);
    },
    transferToQueue: () => Promise.resolve(),
  } as unknown as AgentPort;
  const t: CtiRig = ctiRig({ agents });
  return { t, told };
}

/** 1001 consults 1003, who answers. */
async function consulting(t: CtiRig, callId: string): Promise<string> {
  const { consultCallId } = await t.backend.consult(
    req('consult', { callId, target: { type: 'agent', agent: '1003' } }),
    agentCaller('1001'),
  );
  await t.rig.until(() => t.supervisorPhone.incoming.length === 1, '1003 ringing');
  t.supervisorPhone.lastIncoming().answer();
  await t.rig.until(
    () => t.events.some((e) => e.event.event === 'callAnswered' && e.event.callId === consultCallId),
    'callAnswered for the consultation',
  );
  return consultCallId;
}

describe('CTI transfers tell the ACD where the call went, before the agent leaves', () => {
  test('complete transfer after a consultation', async () => {
    const { t, told } = withAcd();
    const callId = await clickToDial(t);
    const consultCallId = await consulting(t, callId);
    await t.backend.transfer(
      req('transfer', { callId, mode: 'complete', consultCallId }),
      agentCaller('1001'),
    );
    assert.deepEqual(told, [`${callId} 1001 → 1003`]);
  });

  test('blind transfer', async () => {
    const { t, told } = withAcd();
    const callId = await clickToDial(t);
    await t.backend.transfer(
      req('transfer', { callId, mode: 'blind', target: { type: 'number', number: '1003' } }),
      agentCaller('1001'),
    );
    assert.deepEqual(told, [`${callId} 1001 → 1003`]);
  });

  test('transferToQueue, once the queue took the call', async () => {
    const { t, told } = withAcd();
    const callId = await clickToDial(t);
    await t.backend.transferToQueue(
      req('transferToQueue', { callId, queue: 'support' }),
      agentCaller('1001'),
    );
    assert.deepEqual(told, [`${callId} 1001 → support`]);
  });

  test('a conference is no transfer: the agent stays on the call', async () => {
    const { t, told } = withAcd();
    const callId = await clickToDial(t);
    const consultCallId = await consulting(t, callId);
    await t.backend.conference(req('conference', { callId, consultCallId }), agentCaller('1001'));
    assert.deepEqual(told, []);
  });
});

describe('a supervisor on a queue call', () => {
  test("whispers to the ACD's agent, not to a caller who is an extension too", async () => {
    // 1001 called 1002; the ACD says 1002 is the agent on the call.
    const { t } = withAcd(['1002']);
    const callId = await clickToDial(t);
    const pending = t.backend.whisper(req('whisper', { callId }), supervisorCaller('1003'));
    await t.rig.until(() => t.supervisorPhone.incoming.length === 1, 'the supervisor ringing');
    t.supervisorPhone.lastIncoming().answer();
    await settling(t, pending);
    await t.rig.net.settle();
    const members = [...t.rig.media.mixers().values()][0]!;
    assert.deepEqual(members.get(t.rig.legOf('1003').endpoint.id), {
      role: 'whisper',
      whisperTo: t.rig.legOf('1002').endpoint.id,
    });
  });
});
