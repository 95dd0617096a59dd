/**
 * What the CTI asks of the ACD about an agent's queue call: the agent's leg while it rings
 * and once connected, which legs the ACD reports itself, and the records of an agent's part
 * ended from the desktop (COMPLETEAGENT), by a supervisor's force release, or handed to the
 * supervisor who intercepted it (TRANSFER).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Leg } from '../../call/control/leg.js';
import type { QueueLogEntry } from '../../report/queue-log.js';
import { acdRig, flush } from './test-rig.js';
import type { AcdEvent } from './types.js';

/** Agent 1002 ready; call c1 enters queue q and 1002's phone rings. */
async function ringing() {
  const r = acdRig({});
  r.service.login('1002', undefined, { ready: true });
  await r.enter('c1');
  await flush();
  return r;
}

const logged = (rows: readonly QueueLogEntry[]) => rows.map((row) => `${row.event}:${row.agent}`);

function endOf(events: readonly AcdEvent[], agent: string) {
  const ended = events.find((e) => e.event === 'callEnded' && e.agent === agent);
  return ended?.event === 'callEnded' ? `${ended.by} ${ended.cause}` : undefined;
}

describe('the ACD names the agent’s leg of a queue call', () => {
  it('gives the ringing leg, then the connected one, and nothing once the agent’s part ended', async () => {
    const r = await ringing();
    const phone = r.agentLeg('1002') as unknown as Leg;
    assert.equal(r.service.agentLeg('c1', '1002'), phone, 'while it rings');
    assert.equal(r.service.agentLeg('c1', '1003'), undefined, 'not offered to 1003');
    assert.equal(r.service.agentLeg('c2', '1002'), undefined, 'another call');
    assert.equal(r.service.reportsLeg(phone), false, 'not connected yet: its own events still count');
    await r.answer('1002');
    assert.equal(r.service.agentLeg('c1', '1002'), phone, 'once connected');
    assert.equal(r.service.reportsLeg(phone), true, 'the ACD reports the connected leg');
    r.callerLeg('c1').hangup(200, 'remote');
    await flush();
    assert.equal(r.service.agentLeg('c1', '1002'), undefined);
    assert.equal(r.service.reportsLeg(phone), true, 'its callEnded came from the ACD');
  });

  it('does not take a phone’s leg for a persistent connection', async () => {
    const r = await ringing();
    await r.answer('1002');
    const phone = r.agentLeg('1002') as unknown as Leg;
    assert.equal(r.service.isConnection(phone), false);
    assert.equal(r.service.releaseConnection(phone), false);
    assert.equal(r.agentLeg('1002').isEnded, false, 'left for the CTI to hang up');
  });
});

describe('the desktop or a supervisor ends the agent’s part of a queue call', () => {
  it('writes COMPLETEAGENT for the desktop’s hangup, though Hotline ends the agent’s leg', async () => {
    const r = await ringing();
    await r.answer('1002');
    assert.equal(r.service.agentReleased('c1', '1002', 'agent'), true);
    r.agentLeg('1002').hangup(480); // the CTI releases the leg next
    await flush();
    assert.deepEqual(logged(r.rows).slice(-1), ['COMPLETEAGENT:1002']);
    assert.equal(logged(r.rows).filter((row) => row.startsWith('COMPLETE')).length, 1);
    assert.equal(endOf(r.events, '1002'), 'agent normal');
    assert.equal(r.events.filter((e) => e.event === 'callEnded' && e.agent === '1002').length, 1);
  });

  it('says a force release was the supervisor’s', async () => {
    const r = await ringing();
    await r.answer('1002');
    assert.equal(r.service.agentReleased('c1', '1002', 'supervisor'), true);
    assert.deepEqual(logged(r.rows).slice(-1), ['COMPLETEAGENT:1002']);
    assert.equal(endOf(r.events, '1002'), 'supervisor forceReleased');
  });

  it('writes TRANSFER to the supervisor who intercepted the call', async () => {
    const r = await ringing();
    await r.answer('1002');
    assert.equal(r.service.agentTransferred('c1', '1002', '1003', 'supervisor'), true);
    const row = r.rows.at(-1);
    assert.deepEqual([row?.event, row?.agent, row?.data[0]], ['TRANSFER', '1002', '1003']);
    assert.equal(endOf(r.events, '1002'), 'supervisor transferred');
  });

  it('ignores calls that are not the agent’s connected queue call', async () => {
    const r = await ringing();
    assert.equal(r.service.agentReleased('c1', '1002', 'agent'), false, 'still ringing');
    await r.answer('1002');
    assert.equal(r.service.agentReleased('c1', '1003', 'agent'), false);
    assert.equal(r.service.agentReleased('other', '1002', 'agent'), false);
    assert.deepEqual(
      logged(r.rows).filter((row) => row.startsWith('COMPLETE')),
      [],
    );
  });
});
