import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { follow, MAX_FORWARD_HOPS, startChain } from './chain.js';
import { afterRinging, planCall, type PlanInput } from './plan.js';
import type { Availability, Chain, Directory, ExtensionFeatures } from './types.js';

const EXTENSIONS = new Set(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009']);
const directory: Directory = { isExtension: (n) => EXTENSIONS.has(n), isRingGroup: (n) => n === '600' };
const free: Availability = { registered: true, dnd: false, busy: false };

function features(over: Partial<ExtensionFeatures> = {}): ExtensionFeatures {
  return {
    number: '1002',
    dnd: false,
    callWaiting: true,
    forward: {},
    noAnswerTimeoutMs: 30_000,
    voicemail: false,
    ...over,
  };
}

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    features: features(),
    registered: true,
    onCall: false,
    availability: () => free,
    chain: startChain({ type: 'extension', number: '1002' }, '1001'),
    directory,
    caller: '1001',
    ...over,
  };
}

describe('planCall', () => {
  test('rings the extension’s phones for its no-answer timeout when nothing is set', () => {
    const plan = planCall(input({ features: features({ noAnswerTimeoutMs: 12_000 }) }));
    assert.deepEqual(plan, {
      kind: 'ring',
      stages: [{ targets: [{ kind: 'extension', number: '1002' }], durationMs: 12_000 }],
      stopOnBusy: true,
    });
  });

  test('gives a do-not-disturb extension the busy treatment: 486 without voicemail', () => {
    const plan = planCall(input({ features: features({ dnd: true }) }));
    assert.deepEqual(plan, { kind: 'treat', treatment: { kind: 'reject', status: 486, reason: 'dnd' } });
  });

  test('sends a do-not-disturb extension’s calls to its busy forward, even with an unconditional one', () => {
    const plan = planCall(
      input({ features: features({ dnd: true, forward: { busy: '1003', always: '1004' } }) }),
    );
    assert.equal(plan.kind, 'treat');
    assert.deepEqual(plan.kind === 'treat' && plan.treatment.kind === 'forward' && plan.treatment.to, {
      type: 'extension',
      number: '1003',
    });
  });

  test('takes a do-not-disturb extension’s calls to voicemail when it has no busy forward', () => {
    const plan = planCall(input({ features: features({ dnd: true, voicemail: true }) }));
    assert.equal(
      plan.kind === 'treat' && plan.treatment.kind === 'forward' && plan.treatment.to.type,
      'voicemail',
    );
  });

  test('forwards at once on an unconditional forward, to an extension, a ring group or a number outside', () => {
    const to = (always: string) => {
      const plan = planCall(input({ features: features({ forward: { always } }) }));
      return plan.kind === 'treat' && plan.treatment.kind === 'forward' ? plan.treatment.to : undefined;
    };
    assert.deepEqual(to('1003'), { type: 'extension', number: '1003' });
    assert.deepEqual(to('600'), { type: 'ringGroup', group: '600' });
    assert.deepEqual(to('13800138000'), { type: 'external', number: '13800138000' });
  });

  test('forwards an unregistered extension unconditionally too', () => {
    const plan = planCall(input({ registered: false, features: features({ forward: { always: '1003' } }) }));
    assert.equal(plan.kind === 'treat' && plan.treatment.reason, 'always');
  });

  test('treats an extension on a call without call waiting as busy, and rings it with call waiting', () => {
    const busy = planCall(
      input({ onCall: true, features: features({ callWaiting: false, forward: { busy: '1003' } }) }),
    );
    assert.equal(busy.kind === 'treat' && busy.treatment.reason, 'busy');
    assert.equal(planCall(input({ onCall: true })).kind, 'ring');
  });

  test('gives an extension with no reachable phone the no-answer treatment at once: 480, or its no-answer forward', () => {
    assert.deepEqual(planCall(input({ registered: false })), {
      kind: 'treat',
      treatment: { kind: 'reject', status: 480, reason: 'unavailable' },
    });
    const fwd = planCall(input({ registered: false, features: features({ forward: { noAnswer: '1003' } }) }));
    assert.equal(fwd.kind === 'treat' && fwd.treatment.kind, 'forward');
  });

  test('rings find-me steps one after the other after the extension (sequential)', () => {
    const plan = planCall(
      input({
        features: features({
          noAnswerTimeoutMs: 10_000,
          findMe: {
            mode: 'sequential',
            steps: [
              { numbers: ['1003', '13800138000'], ringTimeMs: 15_000 },
              { numbers: ['1004'], ringTimeMs: 20_000 },
            ],
          },
        }),
      }),
    );
    assert.deepEqual(plan, {
      kind: 'ring',
      stopOnBusy: true,
      stages: [
        { targets: [{ kind: 'extension', number: '1002' }], durationMs: 10_000 },
        {
          targets: [
            { kind: 'extension', number: '1003' },
            { kind: 'external', number: '13800138000' },
          ],
          durationMs: 15_000,
        },
        { targets: [{ kind: 'extension', number: '1004' }], durationMs: 20_000 },
      ],
    });
  });

  test('keeps the extension ringing through every find-me step in parallel mode, and rings on when it is busy', () => {
    const plan = planCall(
      input({
        features: features({
          findMe: {
            mode: 'parallel',
            steps: [
              { numbers: ['1003'], ringTimeMs: 5000 },
              { numbers: ['1004'], ringTimeMs: 6000 },
            ],
          },
        }),
      }),
    );
    assert.equal(plan.kind, 'ring');
    assert.ok(plan.kind === 'ring');
    assert.equal(plan.stopOnBusy, false);
    assert.deepEqual(
      plan.stages.map((s) => [s.targets.map((t) => t.number), s.durationMs]),
      [
        [['1002', '1003'], 5000],
        [['1002', '1004'], 6000],
      ],
    );
  });

  test('leaves out find-me extensions that are in DND, unregistered or busy, the caller, and the extension itself', () => {
    const avail: Record<string, Availability> = {
      '1003': { ...free, dnd: true },
      '1004': { ...free, registered: false },
      '1005': { ...free, busy: true },
      '1006': free,
    };
    const plan = planCall(
      input({
        availability: (n) => avail[n],
        features: features({
          findMe: {
            mode: 'sequential',
            steps: [{ numbers: ['1003', '1004', '1005', '1001', '1002', '1006'], ringTimeMs: 5000 }],
          },
        }),
      }),
    );
    assert.ok(plan.kind === 'ring');
    assert.deepEqual(plan.stages[1]?.targets, [{ kind: 'extension', number: '1006' }]);
  });

  test('rings only the find-me numbers of an extension with no reachable phone', () => {
    const plan = planCall(
      input({
        registered: false,
        features: features({
          findMe: { mode: 'sequential', steps: [{ numbers: ['1003'], ringTimeMs: 5000 }] },
        }),
      }),
    );
    assert.ok(plan.kind === 'ring');
    assert.deepEqual(plan.stages, [{ targets: [{ kind: 'extension', number: '1003' }], durationMs: 5000 }]);
  });
});

describe('afterRinging', () => {
  const chain = startChain({ type: 'extension', number: '1002' }, '1001');

  test('forwards an unanswered call to the no-answer forward, else voicemail, else refuses it with 480', () => {
    const noAnswer = { busy: false, status: 480 };
    const fwd = afterRinging(features({ forward: { noAnswer: '1003' } }), noAnswer, chain, directory);
    assert.equal(fwd.kind === 'forward' && fwd.reason, 'no-answer');
    const vm = afterRinging(features({ voicemail: true }), noAnswer, chain, directory);
    assert.deepEqual(vm.kind === 'forward' && vm.to, { type: 'voicemail', mailbox: '1002' });
    assert.deepEqual(afterRinging(features(), noAnswer, chain, directory), {
      kind: 'reject',
      status: 480,
      reason: 'no-answer',
    });
  });

  test('forwards a busy call to the busy forward, else voicemail, else refuses it with 486', () => {
    const busy = { busy: true, status: 486 };
    const fwd = afterRinging(
      features({ forward: { busy: '13800138000', noAnswer: '1003' } }),
      busy,
      chain,
      directory,
    );
    assert.deepEqual(fwd.kind === 'forward' && fwd.to, { type: 'external', number: '13800138000' });
    assert.deepEqual(afterRinging(features(), busy, chain, directory), {
      kind: 'reject',
      status: 486,
      reason: 'busy',
    });
  });

  test('refuses with the status the phone failed with when there is nothing else to do', () => {
    assert.deepEqual(afterRinging(features(), { busy: false, status: 603 }, chain, directory), {
      kind: 'reject',
      status: 603,
      reason: 'no-answer',
    });
  });
});

describe('loop protection', () => {
  test('never forwards back to an extension the call has visited, nor to the caller', () => {
    let chain: Chain = startChain({ type: 'extension', number: '1002' }, '1001');
    const step = follow(chain, { type: 'extension', number: '1003' });
    assert.ok(step.ok);
    chain = step.chain;
    assert.deepEqual(follow(chain, { type: 'extension', number: '1002' }), { ok: false, why: 'loop' });
    assert.deepEqual(follow(chain, { type: 'extension', number: '1001' }), { ok: false, why: 'loop' });
  });

  test(`stops a forwarding chain after ${MAX_FORWARD_HOPS} forwards`, () => {
    let chain: Chain = startChain({ type: 'extension', number: '1001' });
    for (let i = 2; i <= 1 + MAX_FORWARD_HOPS; i++) {
      const step = follow(chain, { type: 'extension', number: `100${i}` });
      assert.ok(step.ok, `forward ${i - 1} is allowed`);
      chain = step.chain;
    }
    assert.deepEqual(follow(chain, { type: 'extension', number: '1009' }), {
      ok: false,
      why: 'too-many-hops',
    });
  });

  test('skips an unconditional forward that would loop and rings the extension itself, noting why', () => {
    let chain = startChain({ type: 'extension', number: '1002' }, '1001');
    const step = follow(chain, { type: 'extension', number: '1003' });
    assert.ok(step.ok);
    chain = step.chain;
    // 1003 forwards everything back to 1002, where the call came from.
    const plan = planCall(
      input({ chain, features: features({ number: '1003', forward: { always: '1002' } }) }),
    );
    assert.equal(plan.kind, 'ring');
    const busy = planCall(
      input({ chain, features: features({ number: '1003', dnd: true, forward: { busy: '1002' } }) }),
    );
    assert.deepEqual(busy, {
      kind: 'treat',
      treatment: { kind: 'reject', status: 486, reason: 'dnd', skipped: { to: '1002', why: 'loop' } },
    });
  });

  test('still takes a call to voicemail when the chain is at its limit', () => {
    const chain: Chain = { visited: ['ext:1001'], hops: MAX_FORWARD_HOPS };
    const t = afterRinging(
      features({ forward: { noAnswer: '1005' }, voicemail: true }),
      { busy: false, status: 480 },
      chain,
      directory,
    );
    assert.deepEqual(t.kind === 'forward' && t.to, { type: 'voicemail', mailbox: '1002' });
    assert.deepEqual(t.skipped, { to: '1005', why: 'too-many-hops' });
  });
});
