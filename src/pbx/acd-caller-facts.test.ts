/**
 * What the PBX tells the ACD about a caller: VIP status from the list screening (call data
 * `vip` and the enqueue options, for routes and IVR transfers alike) and who served them
 * last (the CDRs, for last-agent routing).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenCaller } from '../routing/index.js';
import { openStore, type Store } from '../store/index.js';
import { lastAgentFromCdrs } from './acd-setup.js';
import { callData, enqueueOptions } from './call-router.js';

const T0 = 1_700_000_000_000;

describe('VIP callers reach the ACD', () => {
  const lists = {
    vip: [{ number: '13900009999' }],
    regionRules: [
      {
        province: '北京',
        action: 'route' as const,
        destination: { type: 'queue' as const, queue: 'beijing' },
      },
    ],
  };
  const beijing = {
    kind: 'mobile' as const,
    number: '13900009999',
    province: '北京市',
    city: '北京市',
    carrier: '中国移动',
  };

  it('marks a caller on the VIP list `vip` in the call data, with the list priority', () => {
    const data = callData('96120', 'carrier', undefined, screenCaller('13900009999', undefined, lists));
    assert.deepEqual(data, { did: '96120', trunk: 'carrier', priority: 10, vip: true });
    assert.equal(
      callData('96120', undefined, undefined, screenCaller('13800000001', undefined, lists))['vip'],
      undefined,
    );
  });

  it('keeps `vip` when a region rule sends the VIP elsewhere', () => {
    const verdict = screenCaller('13900009999', beijing, lists);
    assert.equal(verdict.action, 'route');
    const data = callData('96120', undefined, beijing, verdict);
    assert.equal(data['vip'], true);
    assert.equal(data['province'], '北京市');
  });

  it('makes a VIP call’s enqueue options VIP, whatever queue destination (route or IVR node) carries it', () => {
    const vipCall = { data: { vip: true, priority: 10 } };
    assert.deepEqual(enqueueOptions({ type: 'queue', queue: 'sales', priority: 20 }, vipCall), {
      queues: ['sales'],
      priority: 20,
      vip: true,
    });
    assert.deepEqual(enqueueOptions({ type: 'queue', queue: 'sales' }, { data: { did: '96120' } }), {
      queues: ['sales'],
    });
  });

  it('puts a call in the destination’s queue and then its further queues, each once', () => {
    const to = { type: 'queue', queue: 'sales', queues: ['service', 'sales', 'backup'] } as const;
    assert.deepEqual(enqueueOptions(to, { data: {} }).queues, ['sales', 'service', 'backup']);
  });
});

describe('lastAgentFromCdrs', () => {
  let store: Store;
  before(async () => {
    store = await openStore({ database: 'sqlite::memory:', dataDir: '.' });
    const cdr = (callId: string, caller: string, startedAt: number, data?: Record<string, string>) =>
      store.cdrs.insert({
        callId,
        caller,
        callee: '1002',
        startedAt,
        answeredAt: startedAt + 1000,
        endedAt: startedAt + 60_000,
        disposition: 'answered',
        ...(data ? { data } : {}),
      });
    await cdr('old', '13800138000', T0, { agent: '1002', queue: 'sales' });
    await cdr('newer', '13800138000', T0 + 3_600_000, { agent: '1003', queue: 'sales' });
    await cdr('newest-no-queue', '13800138000', T0 + 7_200_000, { did: '96120' });
    await cdr('other', '13900139000', T0 + 7_200_000, { agent: '1004' });
  });
  after(async () => store?.close());

  it('finds the agent of the caller’s newest queue call in the window, dated by its end', async () => {
    const lookup = lastAgentFromCdrs(store.cdrs);
    assert.deepEqual(await lookup('13800138000', T0), { agentId: '1003', at: T0 + 3_600_000 + 60_000 });
    assert.equal(
      await lookup('13800138000', T0 + 3_600_001),
      undefined,
      'only a call without an agent since',
    );
    assert.equal(await lookup('13700137000', T0), undefined);
  });
});
