import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IvrError } from './errors.js';
import { IvrEngine } from './interpreter.js';
import { SimulatedChannel } from './simulate-channel.js';
import { MemoryStepLog } from './step-log.js';
import { AT, doc } from './testing.js';
import type { CollectRequest, CollectResult } from './types.js';
import { FlowCatalog } from './versions.js';

const greeting = (text: string) =>
  doc({
    m: { type: 'menu', prompts: [{ tts: '请按1' }], options: { '1': 'p' } },
    p: { type: 'play', prompts: [{ tts: text }], next: 'bye' },
    bye: { type: 'hangup' },
  });

/** A simulated caller who waits at the first menu until released. */
class WaitingChannel extends SimulatedChannel {
  release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  override async collect(req: CollectRequest): Promise<CollectResult> {
    await this.gate;
    return super.collect(req);
  }
}

describe('FlowCatalog', () => {
  it('numbers versions upwards and keeps the old ones', () => {
    let now = 1000;
    const catalog = new FlowCatalog({ now: () => now++ });
    const v1 = catalog.publish(greeting('一'));
    const v2 = catalog.publish(greeting('二'));
    assert.deepEqual([v1.version.version, v2.version.version], [1, 2]);
    assert.equal(catalog.current('test'), v2.version);
    assert.equal(catalog.get('test', 1), v1.version);
    assert.deepEqual(
      catalog.versions('test').map((v) => v.publishedAt),
      [1000, 1001],
    );
    assert.ok(Object.isFrozen(v1.version));
  });

  it('keeps the version when the same content is published again, whatever the key order', () => {
    const catalog = new FlowCatalog();
    catalog.publish(greeting('一'));
    const reordered = {
      nodes: {
        bye: { type: 'hangup' },
        p: { next: 'bye', prompts: [{ tts: '一' }], type: 'play' },
        m: { options: { '1': 'p' }, prompts: [{ tts: '请按1' }], type: 'menu' },
      },
      start: 'm',
      id: 'test',
    };
    const again = catalog.publish(reordered);
    assert.equal(again.changed, false);
    assert.equal(again.version.version, 1);
  });

  it('refuses an invalid flow with every problem and leaves the current version', () => {
    const catalog = new FlowCatalog();
    catalog.publish(greeting('一'));
    assert.throws(
      () => catalog.publish({ ...greeting('二'), start: 'nope' }),
      (err: unknown) =>
        err instanceof IvrError &&
        err.code === 'IVR_FLOW_INVALID' &&
        (err.details?.['problems'] as string[]).includes('start: names node "nope", which does not exist'),
    );
    assert.equal(catalog.current('test')?.version, 1);
  });

  it('publishes flows that go to each other together, all or nothing', () => {
    const a = doc({ g: { type: 'goto', flow: 'b' } }, { id: 'a' });
    const b = doc({ g: { type: 'goto', flow: 'a' } }, { id: 'b' });
    const catalog = new FlowCatalog();
    assert.throws(() => catalog.publish(a), /flow "b"/);
    assert.throws(() => catalog.publishAll([a, { ...b, start: 'x' }]), /flow b: start/);
    assert.deepEqual(catalog.ids(), []);
    catalog.publishAll([a, b]);
    assert.deepEqual(catalog.ids(), ['a', 'b']);
  });

  it('lets a call on v1 finish on v1 while v2 is published, and starts new calls on v2', async () => {
    const catalog = new FlowCatalog();
    catalog.publish(greeting('旧版'));
    const log = new MemoryStepLog();
    const engine = new IvrEngine({ flows: catalog, stepLog: log });
    const early = new WaitingChannel(AT, ['1']);
    const earlyRun = engine.run(catalog.current('test')!, early, { callId: 'early', ani: '1', dnis: '2' });
    catalog.publish(greeting('新版'));
    const late = new SimulatedChannel(AT, ['1']);
    const lateResult = await engine.run(catalog.current('test')!, late, {
      callId: 'late',
      ani: '1',
      dnis: '2',
    });
    early.release();
    const earlyResult = await earlyRun;
    assert.deepEqual([earlyResult.flowVersion, lateResult.flowVersion], [1, 2]);
    assert.deepEqual(new Set(log.forCall('early').map((s) => s.flowVersion)), new Set([1]));
    assert.deepEqual(
      log.forCall('late').map((s) => s.flowVersion),
      [2, 2, 2],
    );
    const said = (ch: SimulatedChannel) => ch.pending.flatMap((e) => (e.kind === 'play' ? e.texts : []));
    assert.deepEqual(
      [said(early), said(late)],
      [
        ['请按1', '旧版'],
        ['请按1', '新版'],
      ],
    );
  });

  it('sends a goto to the version published when the goto runs', async () => {
    const main = doc(
      {
        m: { type: 'menu', prompts: [{ tts: 'x' }], options: { '1': 'g' } },
        g: { type: 'goto', flow: 'sub' },
      },
      { id: 'main' },
    );
    const sub = (n: string) =>
      doc({ s: { type: 'set', assign: { V: n }, next: 'e' }, e: { type: 'hangup' } }, { id: 'sub' });
    const catalog = new FlowCatalog();
    catalog.publishAll([main, sub('1')]);
    const channel = new WaitingChannel(AT, ['1']);
    const running = new IvrEngine({ flows: catalog }).run(catalog.current('main')!, channel, {
      callId: 'c',
      ani: '1',
      dnis: '2',
    });
    catalog.publish(sub('2'));
    channel.release();
    const r = await running;
    assert.deepEqual([r.flowId, r.flowVersion, r.data['V']], ['sub', 2, '2']);
  });

  it('unpublishes a flow for new calls only', () => {
    const catalog = new FlowCatalog();
    const { version } = catalog.publish(greeting('一'));
    assert.equal(catalog.unpublish('test'), true);
    assert.equal(catalog.current('test'), undefined);
    assert.equal(catalog.get('test', 1), version);
  });
});
