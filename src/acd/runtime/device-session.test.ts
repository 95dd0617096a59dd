import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canStep, NEW_SESSION, stepSession, type Session, type SessionEvent } from './device-session.js';

/** Runs events from a new session; returns the last state and every effect in order. */
function run(...events: SessionEvent[]): { state: Session; effects: string[] } {
  let state = NEW_SESSION;
  const effects: string[] = [];
  for (const e of events) {
    const step = stepSession(state, e);
    state = step.next;
    effects.push(...step.effects);
  }
  return { state, effects };
}

describe('persistent connection session', () => {
  it('takes two calls in a row on one connection, back to idle audio after each', () => {
    const { state, effects } = run('up', 'offer', 'answer', 'callEnded', 'offer', 'answer', 'callEnded');
    assert.equal(state.state, 'idle');
    assert.deepEqual(effects, [
      'idleAudio',
      'connected',
      'alert',
      'armAutoAnswer',
      'disarmAutoAnswer',
      'takeCall',
      'idleAudio',
      'alert',
      'armAutoAnswer',
      'disarmAutoAnswer',
      'takeCall',
      'idleAudio',
    ]);
  });

  it('goes back to idle when an offer is withdrawn (RONA, answered elsewhere)', () => {
    const { state, effects } = run('up', 'offer', 'withdraw');
    assert.equal(state.state, 'idle');
    assert.deepEqual(effects.slice(-2), ['disarmAutoAnswer', 'idleAudio']);
  });

  it('reports a device that never answered as failed and one that hung up later as lost', () => {
    assert.deepEqual(run('dropped'), { state: { state: 'closed', closing: false }, effects: ['failed'] });
    assert.deepEqual(run('up', 'dropped').effects.at(-1), 'lost');
    assert.deepEqual(run('up', 'offer', 'dropped').effects.slice(-3), [
      'disarmAutoAnswer',
      'missCall',
      'lost',
    ]);
    assert.deepEqual(run('up', 'offer', 'answer', 'dropped').effects.at(-1), 'lost');
  });

  it('keeps the connection through the call in progress when the agent logs out, then hangs it up', () => {
    const during = run('up', 'offer', 'answer', 'close');
    assert.deepEqual(during.state, { state: 'talking', closing: true });
    const after = stepSession(during.state, 'callEnded');
    assert.deepEqual(after, { next: { state: 'closed', closing: true }, effects: ['hangUpDevice'] });
    assert.deepEqual(run('up', 'close').effects.at(-1), 'hangUpDevice');
    assert.deepEqual(run('up', 'offer', 'close').effects.slice(-3), [
      'disarmAutoAnswer',
      'missCall',
      'hangUpDevice',
    ]);
  });

  it('refuses an event its state does not allow, naming both', () => {
    assert.equal(canStep(NEW_SESSION, 'offer'), false);
    assert.throws(
      () => run('offer'),
      (e: Error & { code?: string }) =>
        e.code === 'ACD_ILLEGAL_DEVICE_TRANSITION' && /"offer".*"connecting"/.test(e.message),
    );
    assert.throws(() => run('up', 'dropped', 'up'), /"up".*"closed"/);
    assert.throws(() => run('up', 'answer'), /"answer".*"idle"/);
  });
});
