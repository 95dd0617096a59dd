import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ivrSchema } from '../platform/config/ivr-schema.js';
import { routingConfigSchema } from '../platform/config/routing-schema.js';
import { chinaHolidayCalendar } from '../routing/holidays.js';
import { loadIvrFlows } from './load.js';
import { routingScheduleState } from './schedule-port.js';
import { simulate, type SimulateOptions } from './simulate.js';
import { parseLocalTime } from './time.js';
import { FlowCatalog } from './versions.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Loads an example's hotline.yaml the way `hotline ivr simulate --config` does. */
function example(name: string) {
  const dir = `${examples}${name}/`;
  const config = parse(readFileSync(`${dir}hotline.yaml`, 'utf8')) as Record<string, unknown>;
  const ivr = ivrSchema.parse(config['ivr']);
  const routing = routingConfigSchema.parse({
    ...(config['schedules'] ? { schedules: config['schedules'] } : {}),
    ...(config['timeZone'] ? { timeZone: config['timeZone'] } : {}),
    ...(config['inbound'] ? { inbound: config['inbound'] } : {}),
  });
  const catalog = new FlowCatalog({ knownSchedules: (n) => Object.hasOwn(routing.schedules, n) });
  const report = loadIvrFlows(ivr, catalog, { baseDir: dir });
  const scheduleState = routingScheduleState(routing.schedules, chinaHolidayCalendar(), routing.timeZone);
  return { catalog, report, scheduleState, routing };
}

async function run(name: string, flowId: string, opts: Partial<SimulateOptions>) {
  const { catalog, scheduleState } = example(name);
  return simulate({
    flow: catalog.current(flowId)!,
    flows: catalog,
    ani: '13800138000',
    dnis: '96110',
    dtmf: [],
    at: parseLocalTime('2026-10-09T10:00', 'Asia/Shanghai')!,
    scheduleState,
    ...opts,
  });
}

const path = (r: Awaited<ReturnType<typeof simulate>>) =>
  r.steps.map(({ step }) => `${step.nodeId}→${step.exit ?? '∎'}`);

describe('examples/96110', () => {
  it('validates without warnings and routes 96110 to the antifraud flow', () => {
    const { report, routing } = example('96110');
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.flows.map((f) => f.version.id),
      ['antifraud'],
    );
    assert.deepEqual(routing.inbound.numbers[0]?.destination, { type: 'ivr', flow: 'antifraud' });
  });

  it('reports a fraud: Chinese, menu 1, the case number confirmed, to queue fraud-report with the digits', async () => {
    const r = await run('96110', 'antifraud', { dtmf: ['1', '1', '13800138000#', '1'] });
    assert.deepEqual(path(r), [
      'hours→open',
      'welcome→next',
      'language→1',
      'chinese→next',
      'main→1',
      'casePhone→ok',
      'confirmPhone→1',
      'report→next',
      'connecting→next',
      'fraudQueue→∎',
    ]);
    assert.deepEqual(r.result.end, {
      kind: 'transferred',
      destination: { type: 'queue', queue: 'fraud-report', priority: 8, skills: { fraud: 3 } },
    });
    assert.equal(r.result.data['casePhone'], '13800138000');
    assert.equal(r.result.data['CASE_PHONE'], '13800138000');
    assert.equal(r.result.data['caseType'], 'fraud-report');
    const confirm = r.steps.find((s) => s.step.nodeId === 'confirmPhone')!.events[0];
    assert.deepEqual(confirm, {
      kind: 'play',
      texts: [
        '您输入的号码是：',
        '幺三八零零幺三八零零零 [say digits 13800138000]',
        '确认请按1，重新输入请按2。',
      ],
    });
  });

  it('lets the caller re-enter the number, in English', async () => {
    const r = await run('96110', 'antifraud', {
      dtmf: ['2', '1', '1380013800#', '13900139000#', '2', '13800138000#', '1'],
    });
    assert.deepEqual(path(r).slice(2), [
      'language→2',
      'english→next',
      'main→1',
      'casePhone→ok',
      'confirmPhone→2',
      'casePhone→ok',
      'confirmPhone→1',
      'report→next',
      'connecting→next',
      'fraudQueue→∎',
    ]);
    assert.equal(r.result.data['casePhone'], '13800138000');
    assert.equal(r.result.data['LANG'], 'en');
  });

  it('sends advice to queue consult and 0 to the operator extension', async () => {
    const consult = await run('96110', 'antifraud', { dtmf: ['1', '2'] });
    assert.deepEqual(consult.result.end, {
      kind: 'transferred',
      destination: { type: 'queue', queue: 'consult', priority: 5 },
    });
    const operator = await run('96110', 'antifraud', { dtmf: ['1', '0'] });
    assert.deepEqual(operator.result.end, {
      kind: 'transferred',
      destination: { type: 'extension', number: '8000' },
    });
  });

  it('plays the closed announcement and takes a message outside business hours', async () => {
    const r = await run('96110', 'antifraud', { at: parseLocalTime('2026-10-09T21:30', 'Asia/Shanghai')! });
    assert.deepEqual(path(r), ['hours→closed', 'closed→next', 'voicemail→∎']);
    assert.deepEqual(r.result.end, {
      kind: 'transferred',
      destination: { type: 'voicemail', mailbox: '96110' },
    });
  });

  it('records an abandoned call in OUTCOME', async () => {
    const r = await run('96110', 'antifraud', { dtmf: ['1'] });
    assert.equal(r.result.end.kind, 'callerHangup');
    assert.equal(r.result.data['OUTCOME'], 'abandoned:');
  });
});

describe('examples/ordering', () => {
  const stubs = JSON.parse(
    readFileSync(`${examples}ordering/http-stub.json`, 'utf8'),
  ) as SimulateOptions['httpStubs'];

  it('validates without warnings', () => {
    assert.deepEqual(example('ordering').report.warnings, []);
  });

  it('looks up a shipped order, reads its delivery date, and transfers to the orders queue with the order', async () => {
    const r = await run('ordering', 'ordering', { dtmf: ['1', '20261001#', '1'], httpStubs: stubs! });
    assert.deepEqual(path(r), [
      'customer→notFound',
      'hello→next',
      'menu→1',
      'orderNo→ok',
      'status→ok',
      'byStatus→cases[0]',
      'saidShipped→next',
      'after→1',
      'agent→∎',
    ]);
    assert.deepEqual(r.result.end, {
      kind: 'transferred',
      destination: { type: 'queue', queue: 'orders', priority: 5 },
    });
    assert.deepEqual([r.result.data['orderNo'], r.result.data['orderStatus']], ['20261001', 'shipped']);
    const said = r.steps.find((s) => s.step.nodeId === 'saidShipped')!.events[0];
    assert.deepEqual(said, {
      kind: 'play',
      texts: ['您的订单已发货，预计送达日期：', '二零二六年十月三号 [say date 20261003]'],
    });
  });

  it('reads the amount of a pending order and greets a known customer by name', async () => {
    const r = await run('ordering', 'ordering', {
      dtmf: ['1', '20260930#', '2', '1'],
      httpStubs: stubs!,
      customers: { '13800138000': { name: '李女士', level: 'gold' } },
    });
    assert.deepEqual(path(r), [
      'customer→found',
      'helloKnown→next',
      'menu→1',
      'orderNo→ok',
      'status→ok',
      'byStatus→cases[1]',
      'saidPending→next',
      'after→2',
      'survey→next',
      'bye→∎',
    ]);
    const texts = r.steps.flatMap((s) => s.events).flatMap((e) => (e.kind === 'play' ? e.texts : []));
    assert.ok(texts.includes('李女士，您好，欢迎再次致电订购热线。'));
    assert.ok(texts.includes('十二元五角 [say money 12.50]'));
    assert.equal(r.result.data['SATISFACTION'], '1');
  });

  it('apologises and transfers when the order service fails', async () => {
    const r = await run('ordering', 'ordering', { dtmf: ['1', '404404#'], httpStubs: stubs! });
    assert.deepEqual(path(r).slice(4), ['status→error', 'sorry→next', 'agent→∎']);
    assert.equal(r.result.data['HTTP_STATUS'], '404');
  });
});
