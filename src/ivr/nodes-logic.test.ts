import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpStub } from './simulate.js';
import { assertEnd, doc, ends, path, played, sim } from './testing.js';

describe('set node', () => {
  it('assigns templates, concat, substring and add in order', async () => {
    const r = await sim(
      doc(
        {
          s: {
            type: 'set',
            assign: {
              TAIL: { substring: { of: '${ANI}', start: 7 } },
              KEY: { concat: ['${DNIS}', '-', '${TAIL}'] },
              COUNT: { add: ['${COUNT}', 1] },
              TOTAL: { add: ['12.50', '0.25', -1] },
              AREA: { substring: { of: '北京市朝阳区', start: 0, length: 3 } },
            },
            next: 'end',
          },
          ...ends('end'),
        },
        { variables: { COUNT: '' } },
      ),
    );
    assert.deepEqual(path(r), ['s→next', 'end→∎']);
    assert.equal(r.result.data['TAIL'], '8000');
    assert.equal(r.result.data['KEY'], '96110-8000');
    assert.equal(r.result.data['COUNT'], '1');
    assert.equal(r.result.data['TOTAL'], '11.75');
    assert.equal(r.result.data['AREA'], '北京市');
  });

  it('takes the error exit when add meets a non-number', async () => {
    const r = await sim(
      doc({
        s: { type: 'set', assign: { N: { add: ['${ANI}', 'x'] } }, next: 'end', error: 'oops' },
        ...ends('end'),
        ...ends('oops'),
      }),
    );
    assert.deepEqual(path(r), ['s→error', 'oops→∎']);
    assert.equal(r.result.failures[0]?.code, 'IVR_EVAL_FAILED');
  });
});

describe('condition node', () => {
  const cond = (fields: Record<string, unknown>, variables: Record<string, string> = {}) =>
    doc(
      {
        c: { type: 'condition', ...fields },
        ...ends('yes'),
        ...ends('no'),
        ...ends('a'),
        ...ends('b'),
        ...ends('other'),
        ...ends('oops'),
      },
      { variables },
    );

  it('leaves by true or false', async () => {
    const test = { left: '${AMOUNT}', op: 'gt', right: 100, true: 'yes', false: 'no' };
    assert.deepEqual(path(await sim(cond(test, { AMOUNT: '250' }))), ['c→true', 'yes→∎']);
    assert.deepEqual(path(await sim(cond(test, { AMOUNT: '99.5' }))), ['c→false', 'no→∎']);
  });

  it('tries cases in order and falls to default', async () => {
    const cases = {
      cases: [
        { left: '${ANI}', op: 'startsWith', right: '139', next: 'a' },
        { left: '${ANI}', op: 'matches', right: '^1[3-9]\\d{9}$', next: 'b' },
      ],
      default: 'other',
    };
    assert.deepEqual(path(await sim(cond(cases))), ['c→cases[1]', 'b→∎']);
    assert.deepEqual(path(await sim(cond(cases), { ani: '13900000000' })), ['c→cases[0]', 'a→∎']);
    assert.deepEqual(path(await sim(cond(cases), { ani: '01012345678' })), ['c→default', 'other→∎']);
  });

  it('compares with in against a list', async () => {
    const test = { left: '${DNIS}', op: 'in', right: ['110', 96110], true: 'yes', false: 'no' };
    assert.deepEqual(path(await sim(cond(test))), ['c→true', 'yes→∎']);
  });

  it('takes the error exit for a regular expression that only fails at run time', async () => {
    const test = { left: '${ANI}', op: 'matches', right: '${RE}', true: 'yes', false: 'no', error: 'oops' };
    assert.deepEqual(path(await sim(cond(test, { RE: '(' }))), ['c→error', 'oops→∎']);
  });
});

describe('schedule node', () => {
  const flow = (holiday: boolean) =>
    doc({
      s: {
        type: 'schedule',
        schedule: 'hours',
        open: 'yes',
        closed: 'no',
        ...(holiday ? { holiday: 'other' } : {}),
        error: 'oops',
      },
      ...ends('yes'),
      ...ends('no'),
      ...ends('other'),
      ...ends('oops'),
    });

  it('leaves by the state the schedule port gives at the call time', async () => {
    const seen: [string, number][] = [];
    const port = (state: 'open' | 'closed' | 'holiday') => (name: string, at: number) => {
      seen.push([name, at]);
      return state;
    };
    assert.deepEqual(path(await sim(flow(true), { scheduleState: port('open') })), ['s→open', 'yes→∎']);
    assert.deepEqual(path(await sim(flow(true), { scheduleState: port('closed') })), ['s→closed', 'no→∎']);
    assert.deepEqual(path(await sim(flow(true), { scheduleState: port('holiday') })), [
      's→holiday',
      'other→∎',
    ]);
    assert.deepEqual(seen[0], ['hours', Date.UTC(2026, 9, 9, 2)]);
  });

  it('goes the closed way on a holiday when the flow has no holiday exit', async () => {
    assert.deepEqual(path(await sim(flow(false), { scheduleState: () => 'holiday' })), ['s→holiday', 'no→∎']);
  });

  it('takes the error exit when the schedule cannot be evaluated', async () => {
    const r = await sim(flow(true), {
      scheduleState: () => {
        throw new Error('no such schedule');
      },
    });
    assert.deepEqual(path(r), ['s→error', 'oops→∎']);
  });
});

describe('http node', () => {
  const http = (extra: Record<string, unknown> = {}) =>
    doc(
      {
        h: {
          type: 'http',
          url: '${API}/orders/${ORDER}',
          result: { STATUS: '$.status', CITY: 'address.city', FIRST: 'items[0].name' },
          statusInto: 'CODE',
          ok: 'yes',
          error: 'oops',
          ...extra,
        },
        ...ends('yes'),
        ...ends('oops'),
      },
      { variables: { API: 'https://shop.test', ORDER: '42' } },
    );
  const url = 'https://shop.test/orders/42';

  it('maps JSON paths of a 2xx answer into variables', async () => {
    const body = { status: 'shipped', address: { city: '北京' }, items: [{ name: 'tea' }] };
    const r = await sim(http(), { httpStubs: { [url]: { status: 200, body } } });
    assert.deepEqual(path(r), ['h→ok', 'yes→∎']);
    assert.deepEqual(
      [r.result.data['STATUS'], r.result.data['CITY'], r.result.data['FIRST'], r.result.data['CODE']],
      ['shipped', '北京', 'tea', '200'],
    );
  });

  it('takes the error exit on a non-2xx status, a timeout, a body that is not JSON, or no stub', async () => {
    const cases: Record<string, HttpStub>[] = [
      { [url]: { status: 503, body: {} } },
      { [url]: { timeout: true } },
      { [url]: { status: 200, body: '<html>' } },
      {},
    ];
    for (const httpStubs of cases) {
      const r = await sim(http(), { httpStubs });
      assert.deepEqual(path(r), ['h→error', 'oops→∎'], JSON.stringify(httpStubs));
      assert.equal(r.result.failures[0]?.code, 'IVR_HTTP_FAILED');
    }
    const none = await sim(http(), {});
    assert.match(
      JSON.stringify(none.steps[0]!.events),
      /no HTTP stub for GET https:\/\/shop.test\/orders\/42/,
    );
  });

  it('matches a stub by method', async () => {
    const r = await sim(http({ method: 'POST', result: {} }), {
      httpStubs: { [`POST ${url}`]: { status: 201 } },
    });
    assert.deepEqual(path(r), ['h→ok', 'yes→∎']);
  });

  it('sends the headers and the JSON body with their templates filled', async () => {
    const sent: unknown[] = [];
    const r = await sim(
      http({
        method: 'POST',
        headers: { 'X-Caller': '${ANI}' },
        body: { caller: '${ANI}', n: 1, tags: ['${DNIS}'] },
        result: {},
      }),
      {
        http: async (u, init) => {
          sent.push([u, init.method, init.headers, init.body]);
          return { status: 204, text: async () => '' };
        },
      },
    );
    assert.deepEqual(path(r), ['h→ok', 'yes→∎']);
    assert.deepEqual(sent, [
      [
        url,
        'POST',
        { 'X-Caller': '13800138000', 'content-type': 'application/json' },
        '{"caller":"13800138000","n":1,"tags":["96110"]}',
      ],
    ]);
  });
});

describe('lookup node', () => {
  const lookup = doc({
    l: {
      type: 'lookup',
      fields: { NAME: 'name', LEVEL: 'level', MISSING: 'nope' },
      found: 'yes',
      notFound: 'no',
      error: 'oops',
    },
    ...ends('yes'),
    ...ends('no'),
    ...ends('oops'),
  });

  it('copies the customer fields found by caller number', async () => {
    const r = await sim(lookup, { customers: { '13800138000': { name: '张三', level: 3 } } });
    assert.deepEqual(path(r), ['l→found', 'yes→∎']);
    assert.deepEqual(
      [r.result.data['NAME'], r.result.data['LEVEL'], r.result.data['MISSING']],
      ['张三', '3', ''],
    );
  });

  it('leaves by notFound for an unknown caller', async () => {
    assert.deepEqual(path(await sim(lookup, { customers: { '10086': { name: 'x' } } })), [
      'l→notFound',
      'no→∎',
    ]);
  });

  it('takes the error exit when the lookup fails', async () => {
    const r = await sim(lookup, { lookupCustomer: () => Promise.reject(new Error('CRM down')) });
    assert.deepEqual(path(r), ['l→error', 'oops→∎']);
    assert.equal(r.result.failures[0]?.message, 'CRM down');
  });
});

describe('transfer node', () => {
  const transfer = (extra: Record<string, unknown> = {}) =>
    doc(
      {
        t: {
          type: 'transfer',
          to: { type: 'queue', queue: '${Q}', priority: 7, skills: { fraud: 3 } },
          data: { ticket: 'T-${CALLID}' },
          failed: 'failed',
          ...extra,
        },
        ...ends('failed'),
        ...ends('busy'),
        ...ends('gone'),
      },
      { variables: { Q: 'fraud-report' } },
    );

  it('ends the flow with the destination and every variable as associated data', async () => {
    const r = await sim(transfer());
    assert.deepEqual(path(r), ['t→∎']);
    assert.deepEqual(r.result.end, {
      kind: 'transferred',
      destination: { type: 'queue', queue: 'fraud-report', priority: 7, skills: { fraud: 3 } },
    });
    assert.equal(r.result.data['ticket'], 'T-sim-1');
    assert.equal(r.result.data['ANI'], '13800138000');
    assert.equal(r.result.data['Q'], 'fraud-report');
  });

  it('leaves by busy, noAnswer or failed when the destination refuses', async () => {
    const exits = { busy: 'busy', noAnswer: 'gone' };
    assert.deepEqual(
      path(await sim(transfer(exits), { transferOutcomes: [{ ok: false, reason: 'busy' }] })),
      ['t→busy', 'busy→∎'],
    );
    assert.deepEqual(
      path(await sim(transfer(exits), { transferOutcomes: [{ ok: false, reason: 'noAnswer' }] })),
      ['t→noAnswer', 'gone→∎'],
    );
    assert.deepEqual(
      path(await sim(transfer(exits), { transferOutcomes: [{ ok: false, reason: 'failed' }] })),
      ['t→failed', 'failed→∎'],
    );
  });

  it('falls back to failed when busy or noAnswer are left open', async () => {
    assert.deepEqual(path(await sim(transfer(), { transferOutcomes: [{ ok: false, reason: 'busy' }] })), [
      't→busy',
      'failed→∎',
    ]);
  });

  it('sends to an extension, an external number and a voicemail box', async () => {
    for (const to of [
      { type: 'extension', number: '8000' },
      { type: 'external', number: '${ANI}' },
      { type: 'voicemail', mailbox: '96110' },
      { type: 'ringGroup', group: 'sales' },
    ]) {
      const r = await sim(transfer({ to }));
      assertEnd(r, 'transferred');
      const dest = r.result.end.kind === 'transferred' ? r.result.end.destination : undefined;
      assert.equal(dest?.type, to.type);
    }
    const ext = await sim(transfer({ to: { type: 'external', number: '${ANI}' } }));
    assert.deepEqual(ext.result.end.kind === 'transferred' && ext.result.end.destination, {
      type: 'external',
      number: '13800138000',
    });
  });
});

describe('goto node', () => {
  const main = doc(
    {
      s: { type: 'set', assign: { FROM: 'main' }, next: 'g' },
      g: { type: 'goto', flow: 'sub', error: 'oops' },
      ...ends('oops'),
    },
    { id: 'main' },
  );
  const sub = doc(
    { p: { type: 'play', prompts: [{ tts: '来自${FROM}' }], next: 'end' }, ...ends('end') },
    { id: 'sub', variables: { FROM: 'sub' } },
  );

  it('continues at the other flow, keeping the variables', async () => {
    const r = await sim([main, sub]);
    assert.deepEqual(
      r.steps.map(({ step }) => `${step.flowId}:${step.nodeId}→${step.exit ?? '∎'}`),
      ['main:s→next', 'main:g→∎', 'sub:p→next', 'sub:end→∎'],
    );
    assert.deepEqual(played(r), ['来自main']);
    assert.equal(r.result.flowId, 'sub');
  });

  it('takes the error exit when the flow is no longer published', async () => {
    const { FlowCatalog } = await import('./versions.js');
    const { simulate } = await import('./simulate.js');
    const catalog = new FlowCatalog();
    const [m] = catalog.publishAll([main, sub]);
    catalog.unpublish('sub');
    const r = await simulate({ flow: m!.version, flows: catalog, ani: '1', dnis: '2', dtmf: [], at: 0 });
    assert.deepEqual(path(r), ['s→next', 'g→error', 'oops→∎']);
    assert.equal(r.result.failures[0]?.code, 'IVR_FLOW_UNKNOWN');
  });
});

describe('hangup node', () => {
  it('ends the call with its cause', async () => {
    const r = await sim(doc({ h: { type: 'hangup', cause: 17 } }));
    assert.deepEqual(r.result.end, { kind: 'hangup', cause: 17, reason: 'node' });
    assert.deepEqual(r.steps[0]!.events, [{ kind: 'hangup', cause: 17 }]);
  });
});
