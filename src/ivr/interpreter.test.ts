import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IvrEngine } from './interpreter.js';
import { SimulatedChannel } from './simulate-channel.js';
import { MemoryStepLog } from './step-log.js';
import { AT, doc, ends, path, played, publish, sim } from './testing.js';
import type { HttpFetch, IvrChannel } from './types.js';

const call = (callId: string) => ({ callId, ani: '13800138000', dnis: '96110' });

describe('IvrEngine step log', () => {
  it('writes one step per node visit with the exact shape the repository stores', async () => {
    const { flow } = publish(
      doc({
        m: { type: 'menu', prompts: [{ tts: '请选择' }], options: { '1': 'bye' } },
        bye: { type: 'hangup' },
      }),
    );
    const log = new MemoryStepLog();
    const channel = new SimulatedChannel(AT, ['1']);
    await new IvrEngine({ stepLog: log }).run(flow, channel, call('c-1'));
    assert.deepEqual(log.steps, [
      {
        callId: 'c-1',
        flowId: 'test',
        flowVersion: 1,
        nodeId: 'm',
        nodeType: 'menu',
        enteredAt: AT,
        exit: '1',
        digits: '1',
        durationMs: 2500,
      },
      {
        callId: 'c-1',
        flowId: 'test',
        flowVersion: 1,
        nodeId: 'bye',
        nodeType: 'hangup',
        enteredAt: AT + 2500,
        exit: null,
        digits: null,
        durationMs: 0,
      },
    ]);
  });

  it('keeps the call going when the step log fails', async () => {
    const { flow } = publish(doc({ a: { type: 'set', assign: { X: '1' }, next: 'b' }, ...ends('b') }));
    const broken = { write: () => Promise.reject(new Error('database down')) };
    const throwing = {
      write: () => {
        throw new Error('disk full');
      },
    };
    for (const stepLog of [broken, throwing]) {
      const r = await new IvrEngine({ stepLog }).run(flow, new SimulatedChannel(AT, []), call('c'));
      assert.deepEqual(r.end, { kind: 'hangup', cause: 16, reason: 'node' });
      assert.equal(r.steps, 2);
    }
  });
});

describe('IvrEngine loop guard', () => {
  const loop = doc(
    {
      a: { type: 'set', assign: { N: { add: ['${N}', 1] } }, next: 'b' },
      b: { type: 'condition', left: '1', op: 'eq', right: '1', true: 'a', false: 'a' },
    },
    { variables: { N: '0' } },
  );

  it('ends a call that loops with a polite hang-up after maxSteps nodes', async () => {
    const r = await sim(loop, { maxSteps: 50 });
    assert.deepEqual(r.result.end, { kind: 'hangup', cause: 16, reason: 'maxSteps' });
    assert.equal(r.result.steps, 50);
    assert.equal(r.result.data['N'], '25');
    assert.equal(r.result.failures.at(-1)?.code, 'IVR_MAX_STEPS');
    assert.deepEqual(played(r), ['抱歉，系统暂时无法处理您的来电，请稍后再拨。', '感谢您的来电，再见。']);
    assert.deepEqual(r.after.at(-1), { kind: 'hangup', cause: 16 });
  });

  it('stops at 1000 nodes by default', async () => {
    const r = await sim(loop);
    assert.equal(r.result.steps, 1000);
  });
});

describe('IvrEngine error path', () => {
  const failing = { type: 'set', assign: { N: { add: ['x'] } }, next: 'ok' };

  it("goes to the flow's onError when the failing node has no error exit", async () => {
    const r = await sim(doc({ f: failing, ...ends('ok'), ...ends('handler') }, { onError: 'handler' }));
    assert.deepEqual(path(r), ['f→error', 'handler→∎']);
  });

  it('hangs up politely when there is no error exit and no onError', async () => {
    const r = await sim(doc({ f: failing, ...ends('ok') }));
    assert.deepEqual(path(r), ['f→error']);
    assert.deepEqual(r.result.end, { kind: 'hangup', cause: 16, reason: 'error' });
    assert.equal(played(r)[0], '抱歉，系统暂时无法处理您的来电，请稍后再拨。');
  });

  it('hangs up politely when the onError node itself fails', async () => {
    const r = await sim(doc({ f: failing, h: { ...failing }, ...ends('ok') }, { onError: 'h' }));
    assert.deepEqual(path(r), ['f→error', 'h→error']);
    assert.equal(r.result.end.kind, 'hangup');
  });

  it('never throws, even when every channel method fails', async () => {
    const { flow } = publish(
      doc(
        { p: { type: 'play', prompts: [{ tts: 'x' }], next: 'bye' }, bye: { type: 'hangup' } },
        { onError: 'bye' },
      ),
    );
    const fail = () => Promise.reject(new Error('media gone'));
    const channel: IvrChannel = {
      hungUp: new AbortController().signal,
      now: () => AT,
      play: fail,
      collect: fail,
      record: fail,
      transfer: fail,
      hangup: fail,
    };
    const r = await new IvrEngine().run(flow, channel, call('c'));
    assert.deepEqual(r.end, { kind: 'hangup', cause: 16, reason: 'node' });
    assert.deepEqual(
      r.failures.map((f) => [f.nodeId, f.message]),
      [['p', 'media gone']],
    );
  });
});

describe('IvrEngine failure isolation', () => {
  it("takes one call's HTTP failure down its error exit while a concurrent call completes", async () => {
    const { flow, catalog } = publish(
      doc({
        h: {
          type: 'http',
          url: 'https://crm.test/${ANI}',
          result: { NAME: 'name' },
          ok: 'hello',
          error: 'sorry',
        },
        hello: { type: 'play', prompts: [{ tts: '${NAME}您好' }], next: 'q' },
        sorry: { type: 'play', prompts: [{ tts: '系统繁忙' }], next: 'q' },
        q: { type: 'transfer', to: { type: 'queue', queue: 'support' } },
      }),
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const http: HttpFetch = async (url) => {
      if (url.endsWith('/13900000000')) throw new Error('connection refused');
      await gate; // the good call waits until the bad one has failed
      return { status: 200, text: async () => '{"name":"王五"}' };
    };
    const log = new MemoryStepLog();
    const engine = new IvrEngine({ http, flows: catalog, stepLog: log });
    const good = new SimulatedChannel(AT, []);
    const bad = new SimulatedChannel(AT, []);
    const goodRun = engine.run(flow, good, { callId: 'good', ani: '13800138000', dnis: '96110' });
    const badResult = await engine.run(flow, bad, { callId: 'bad', ani: '13900000000', dnis: '96110' });
    release();
    const goodResult = await goodRun;
    assert.deepEqual(
      log.forCall('bad').map((s) => `${s.nodeId}→${s.exit ?? '∎'}`),
      ['h→error', 'sorry→next', 'q→∎'],
    );
    assert.deepEqual(
      log.forCall('good').map((s) => `${s.nodeId}→${s.exit ?? '∎'}`),
      ['h→ok', 'hello→next', 'q→∎'],
    );
    assert.equal(goodResult.data['NAME'], '王五');
    assert.deepEqual(goodResult.failures, []);
    assert.equal(badResult.failures[0]?.code, 'IVR_HTTP_FAILED');
    assert.equal(goodResult.end.kind, 'transferred');
    assert.equal(badResult.end.kind, 'transferred');
  });

  it('times an HTTP request out with the injected timers', async () => {
    const { flow } = publish(
      doc({
        h: { type: 'http', url: 'https://slow.test', timeout: 2, ok: 'a', error: 'b' },
        ...ends('a'),
        ...ends('b'),
      }),
    );
    let fire: (() => void) | undefined;
    const timers = {
      setTimer: (ms: number, fn: () => void) => (
        (fire = ms === 2000 ? fn : undefined),
        { cancel: () => undefined }
      ),
    };
    const http: HttpFetch = (_url, init) =>
      new Promise((_, reject) =>
        init.signal.addEventListener('abort', () => reject(init.signal.reason as Error)),
      );
    const log = new MemoryStepLog();
    const running = new IvrEngine({ http, timers, stepLog: log }).run(
      flow,
      new SimulatedChannel(AT, []),
      call('c'),
    );
    await new Promise((r) => setImmediate(r));
    fire!();
    const r = await running;
    assert.deepEqual(
      log.steps.map((s) => s.exit),
      ['error', null],
    );
    assert.match(r.failures[0]!.message, /no answer within 2 s/);
  });
});

describe('IvrEngine onHangup', () => {
  it('runs the non-media onHangup chain after the caller hangs up, with HTTP still allowed', async () => {
    const { flow } = publish(
      doc(
        {
          m: { type: 'menu', prompts: [{ tts: '请选择' }], options: { '1': 'bye' } },
          bye: { type: 'hangup' },
          gone: { type: 'set', assign: { OUTCOME: 'abandoned at ${LAST}' }, next: 'notify' },
          notify: {
            type: 'http',
            method: 'POST',
            url: 'https://crm.test/abandoned',
            body: { ani: '${ANI}' },
            ok: 'end',
            error: 'end',
          },
          end: { type: 'hangup' },
        },
        { onHangup: 'gone', variables: { LAST: 'menu' } },
      ),
    );
    const posted: string[] = [];
    const http: HttpFetch = async (url, init) => {
      assert.equal(init.signal.aborted, false);
      posted.push(`${url} ${init.body ?? ''}`);
      return { status: 200, text: async () => '' };
    };
    const log = new MemoryStepLog();
    const channel = new SimulatedChannel(AT, []); // no input: the caller hangs up at the menu
    const r = await new IvrEngine({ http, stepLog: log }).run(flow, channel, call('c'));
    assert.deepEqual(r.end, { kind: 'callerHangup', flowId: 'test', nodeId: 'm' });
    assert.deepEqual(
      log.steps.map((s) => `${s.nodeId}→${s.exit ?? '∎'}`),
      ['m→∎', 'gone→next', 'notify→ok', 'end→∎'],
    );
    assert.deepEqual(posted, ['https://crm.test/abandoned {"ani":"13800138000"}']);
    assert.equal(r.data['OUTCOME'], 'abandoned at menu');
    assert.equal(
      channel.pending.some((e) => e.kind === 'hangup'),
      false,
      'no hangup is sent to a caller who left',
    );
  });

  it('reports how the flow ended even when call control then signals the hang-up', async () => {
    const { flow } = publish(
      doc(
        {
          c: { type: 'condition', left: '${ANI}', op: 'eq', right: '1', true: 'q', false: 'bye' },
          q: { type: 'transfer', to: { type: 'queue', queue: 'support' } },
          bye: { type: 'hangup', cause: 17 },
          gone: { type: 'set', assign: { X: 'ran' }, next: 'end' },
          end: { type: 'hangup' },
        },
        { onHangup: 'gone' },
      ),
    );
    for (const ani of ['1', '2']) {
      const control = new AbortController();
      const fail = () => Promise.reject(new Error('unused'));
      const channel: IvrChannel = {
        hungUp: control.signal,
        now: () => AT,
        play: fail,
        collect: fail,
        record: fail,
        transfer: async () => (control.abort(), { ok: true }),
        hangup: async () => control.abort(),
      };
      const r = await new IvrEngine().run(flow, channel, { callId: 'c', ani, dnis: '2' });
      assert.equal(r.end.kind, ani === '1' ? 'transferred' : 'hangup');
      assert.equal(r.data['X'], undefined, 'onHangup does not run after the flow itself ended the call');
    }
  });

  it('ends without running anything when the flow has no onHangup', async () => {
    const r = await sim(
      doc({ m: { type: 'menu', prompts: [{ tts: 'x' }], options: { '1': 'b' } }, ...ends('b') }),
    );
    assert.deepEqual(path(r), ['m→∎']);
    assert.equal(r.result.end.kind, 'callerHangup');
  });
});
