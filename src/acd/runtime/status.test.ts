import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentSnapshot, QueueSnapshot } from '../snapshot.js';
import { agentStatusOf, queueStatsOf } from './status.js';

const snap = (state: AgentSnapshot['state']): AgentSnapshot => ({
  agentId: '1002',
  name: '1002',
  state,
  stateCode: '',
  inStateSeconds: 5,
  queues: ['sales'],
  offered: 0,
  answered: 0,
  rona: 0,
  talkTimeSeconds: 0,
  ahtSeconds: undefined,
  timeInStateSeconds: {},
});

describe('CTI-shaped status', () => {
  it('shows a reserved agent as ringing once its phone rings, with the call', () => {
    const s = agentStatusOf(snap({ presence: { kind: 'ready' }, activity: 'reserved' }), 10_000, {
      callId: 'c1',
      ringing: true,
    });
    assert.deepEqual(s, {
      agent: '1002',
      presence: 'ready',
      activity: 'ringing',
      queues: ['sales'],
      callId: 'c1',
      since: 5000,
    });
  });

  it('shows talking as onCall, and the not-ready reason', () => {
    const s = agentStatusOf(
      snap({ presence: { kind: 'notReady', reason: 'LUNCH' }, activity: 'talking' }),
      10_000,
      undefined,
    );
    assert.equal(s.activity, 'onCall');
    assert.equal(s.reason, 'LUNCH');
    assert.equal(s.callId, undefined);
  });

  it('shows an agent holding its caller as held, still with the call', () => {
    const s = agentStatusOf(snap({ presence: { kind: 'ready' }, activity: 'held' }), 10_000, {
      callId: 'c1',
      ringing: false,
    });
    assert.equal(s.activity, 'held');
    assert.equal(s.callId, 'c1');
  });

  it('turns the service level percentage into a share and seconds into milliseconds', () => {
    const figures = {
      offered: 4,
      answered: 3,
      abandoned: 1,
      serviceLevel: 75,
      asaSeconds: 8.25,
      ahtSeconds: undefined,
    } as unknown as QueueSnapshot['today'];
    const q: QueueSnapshot = {
      queue: 'sales',
      waiting: 2,
      longestWaitSeconds: 12.5,
      agents: {
        loggedIn: 3,
        ready: 2,
        notReady: 1,
        available: 1,
        reserved: 0,
        talking: 1,
        held: 1,
        wrapUp: 1,
        outbound: 0,
      },
      today: figures,
      recent: figures,
    };
    assert.deepEqual(queueStatsOf(q), {
      queue: 'sales',
      waiting: 2,
      longestWaitMs: 12_500,
      agentsLoggedIn: 3,
      agentsReady: 2,
      agentsOnCall: 2,
      offered: 4,
      answered: 3,
      abandoned: 1,
      serviceLevel: 0.75,
      agentsNotReady: 1,
      agentsInWrapUp: 1,
      asaMs: 8250,
      ahtMs: null,
    });
  });
});
