import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doc, ends } from './testing.js';
import { formatIssue, validateFlow, type FlowIssue, type ValidateOptions } from './validate.js';

const play = (next: string, extra: Record<string, unknown> = {}) => ({
  type: 'play',
  prompts: [{ tts: '您好' }],
  next,
  ...extra,
});

function errors(d: unknown, opts?: ValidateOptions): FlowIssue[] {
  const r = validateFlow(d, opts);
  assert.equal(r.ok, false, 'expected the flow to be refused');
  return r.ok ? [] : [...r.errors];
}

/** The one error of a flow, as [code, node, field]. */
function only(d: unknown, opts?: ValidateOptions): [string, string | null, string] {
  const list = errors(d, opts);
  assert.equal(list.length, 1, list.map(formatIssue).join('\n'));
  return [list[0]!.code, list[0]!.node, list[0]!.field];
}

describe('validateFlow', () => {
  it('accepts a correct flow and returns it with defaults filled and frozen', () => {
    const r = validateFlow(doc({ a: play('b'), ...ends('b') }));
    assert.ok(r.ok);
    assert.equal(r.flow.lang, 'zh-CN');
    assert.equal(r.flow.nodes['a']?.type === 'play' && r.flow.nodes['a'].bargeIn, false);
    assert.ok(Object.isFrozen(r.flow.nodes));
    assert.deepEqual(r.warnings, []);
  });

  it('names the node and field of an unknown node type', () => {
    const list = errors(doc({ a: play('b'), b: { type: 'plya' } }));
    assert.deepEqual([list[0]!.code, list[0]!.node, list[0]!.field], ['IVR_NODE_TYPE_UNKNOWN', 'b', 'type']);
    assert.match(
      formatIssue(list[0]!),
      /^nodes\.b\.type: unknown node type "plya"; expected one of play, menu/,
    );
  });

  it('names the node and field of a bad parameter', () => {
    assert.deepEqual(only(doc({ a: play('b', { bargeIn: 'yes' }), ...ends('b') })), [
      'IVR_SCHEMA',
      'a',
      'bargeIn',
    ]);
    assert.deepEqual(
      only(doc({ a: { type: 'play', prompts: [{ tts: 'x', lang: 'fr' }], next: 'b' }, ...ends('b') })),
      ['IVR_SCHEMA', 'a', 'prompts[0].lang'],
    );
    const typo = errors(doc({ a: play('b', { bargein: true }), ...ends('b') }));
    assert.equal(formatIssue(typo[0]!), 'nodes.a.bargein: unknown key, did you mean bargeIn?');
    assert.deepEqual(
      only(doc({ a: { type: 'menu', prompts: [{ tts: 'x' }], options: { x: 'b' } }, ...ends('b') })),
      ['IVR_SCHEMA', 'a', 'options.x'],
    );
  });

  it('names an exit that points to no node', () => {
    const [code, node, field] = only(
      doc({
        a: { type: 'menu', prompts: [{ tts: 'x' }], options: { '1': 'b', '2': 'nowhere' } },
        ...ends('b'),
      }),
    );
    assert.deepEqual([code, node, field], ['IVR_EXIT_UNKNOWN_NODE', 'a', 'options.2']);
    assert.deepEqual(only(doc({ a: play('b'), ...ends('b') }, { start: 'x' })), [
      'IVR_EXIT_UNKNOWN_NODE',
      null,
      'start',
    ]);
    const cases = {
      type: 'condition',
      cases: [{ left: '1', op: 'eq', right: '1', next: 'zz' }],
      default: 'b',
    };
    assert.deepEqual(only(doc({ a: cases, ...ends('b') })), ['IVR_EXIT_UNKNOWN_NODE', 'a', 'cases[0].next']);
  });

  it('names a missing required exit', () => {
    assert.deepEqual(only(doc({ a: { type: 'play', prompts: [{ tts: 'x' }] } })), [
      'IVR_EXIT_MISSING',
      'a',
      'next',
    ]);
    assert.deepEqual(only(doc({ a: { type: 'http', url: 'https://x.test', ok: 'b' }, ...ends('b') })), [
      'IVR_EXIT_MISSING',
      'a',
      'error',
    ]);
    assert.deepEqual(
      only(doc({ a: { type: 'condition', left: '1', op: 'eq', right: '1', true: 'b' }, ...ends('b') })),
      ['IVR_EXIT_MISSING', 'a', 'false'],
    );
    assert.deepEqual(only(doc({ a: { type: 'menu', prompts: [{ tts: 'x' }], options: {} } })), [
      'IVR_EXIT_MISSING',
      'a',
      'options',
    ]);
  });

  it('warns about unreachable nodes without refusing the flow', () => {
    const r = validateFlow(doc({ a: play('b'), ...ends('b'), ...ends('spare') }));
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.node, w.severity]),
      [['IVR_NODE_UNREACHABLE', 'spare', 'warning']],
    );
  });

  it('counts onError, onHangup and error exits as ways in', () => {
    const r = validateFlow(
      doc(
        { a: play('b', { error: 'e' }), ...ends('b'), ...ends('e'), ...ends('oe'), ...ends('oh') },
        { onError: 'oe', onHangup: 'oh' },
      ),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, []);
  });

  it('names a template that uses an unknown variable', () => {
    const [code, node, field] = only(
      doc({
        a: { type: 'play', prompts: [{ tts: '您好' }, { say: 'digits', value: '${CASE}' }], next: 'b' },
        ...ends('b'),
      }),
    );
    assert.deepEqual([code, node, field], ['IVR_VARIABLE_UNKNOWN', 'a', 'prompts[1].value']);
  });

  it('knows variables that are built in, declared, or written by any node', () => {
    const r = validateFlow(
      doc(
        {
          a: { type: 'collect', prompts: [{ tts: '${DECLARED}${ANI}${DATE}' }], into: 'DIGITS', ok: 'b' },
          b: {
            type: 'http',
            url: 'https://x.test/${DIGITS}/${LATER}',
            result: { STATUS: 'status' },
            statusInto: 'CODE',
            ok: 'c',
            error: 'c',
          },
          c: { type: 'set', assign: { LATER: '${STATUS}${CODE}' }, next: 'd' },
          d: { type: 'survey', prompts: [{ tts: 'x' }], into: 'SCORE', next: 'e' },
          e: { type: 'transfer', to: { type: 'queue', queue: 'q' }, data: { s: '${SCORE}' } },
        },
        { variables: { DECLARED: '' } },
      ),
    );
    assert.ok(r.ok, r.ok ? '' : r.errors.map(formatIssue).join('\n'));
  });

  it('names a malformed template', () => {
    assert.deepEqual(
      only(doc({ a: { type: 'play', prompts: [{ tts: '您好${ANI' }], next: 'b' }, ...ends('b') })),
      ['IVR_TEMPLATE_INVALID', 'a', 'prompts[0].tts'],
    );
    assert.deepEqual(
      only(doc({ a: { type: 'play', prompts: [{ tts: '${1X}' }], next: 'b' }, ...ends('b') })),
      ['IVR_TEMPLATE_INVALID', 'a', 'prompts[0].tts'],
    );
  });

  it('names unknown variables in the flow texts', () => {
    const d = doc(
      { a: { type: 'play', prompts: [{ prompt: 'hi' }], next: 'b' }, ...ends('b') },
      { texts: { hi: { en: 'Hi ${NAME}' } } },
    );
    assert.deepEqual(only(d), ['IVR_VARIABLE_UNKNOWN', null, 'texts.hi.en']);
  });

  it('refuses writing a built-in variable', () => {
    assert.deepEqual(only(doc({ a: { type: 'set', assign: { ANI: '1' }, next: 'b' }, ...ends('b') })), [
      'IVR_VARIABLE_READONLY',
      'a',
      'assign.ANI',
    ]);
    assert.deepEqual(
      only(doc({ a: { type: 'collect', prompts: [{ tts: 'x' }], into: 'LANG', ok: 'b' }, ...ends('b') })),
      ['IVR_VARIABLE_READONLY', 'a', 'into'],
    );
    assert.deepEqual(only(doc({ a: play('b'), ...ends('b') }, { variables: { DATE: 'x' } })), [
      'IVR_VARIABLE_READONLY',
      null,
      'variables.DATE',
    ]);
  });

  it('names a goto to a flow the catalog does not know', () => {
    const d = doc({ a: { type: 'goto', flow: 'sales' } });
    assert.ok(validateFlow(d).ok, 'unchecked without a catalog');
    assert.deepEqual(only(d, { knownFlows: (id) => id === 'support' }), ['IVR_FLOW_UNKNOWN', 'a', 'flow']);
    assert.ok(validateFlow(d, { knownFlows: (id) => id === 'sales' }).ok);
  });

  it('names a schedule that is not configured', () => {
    const d = doc({ a: { type: 'schedule', schedule: 'night', open: 'b', closed: 'b' }, ...ends('b') });
    assert.deepEqual(only(d, { knownSchedules: (n) => n === 'day' }), [
      'IVR_SCHEDULE_UNKNOWN',
      'a',
      'schedule',
    ]);
  });

  it('refuses media nodes reached from onHangup', () => {
    const d = doc(
      { a: play('b'), ...ends('b'), gone: { type: 'set', assign: { X: '1' }, next: 'bye' }, bye: play('b') },
      { onHangup: 'gone' },
    );
    assert.deepEqual(only(d), ['IVR_HANGUP_MEDIA', 'bye', 'type']);
  });

  it('names an unknown prompt and a say-value that cannot be read', () => {
    assert.deepEqual(
      only(doc({ a: { type: 'play', prompts: [{ prompt: 'welcom' }], next: 'b' }, ...ends('b') })),
      ['IVR_PROMPT_INVALID', 'a', 'prompts[0].prompt'],
    );
    assert.deepEqual(
      only(
        doc({ a: { type: 'play', prompts: [{ say: 'date', value: '20261301' }], next: 'b' }, ...ends('b') }),
      ),
      ['IVR_PROMPT_INVALID', 'a', 'prompts[0].value'],
    );
  });

  it('names a bad regular expression, a min above max and a mixed condition', () => {
    const collect = { type: 'collect', prompts: [{ tts: 'x' }], into: 'N', ok: 'b' };
    assert.deepEqual(only(doc({ a: { ...collect, pattern: '([0-9]' }, ...ends('b') })), [
      'IVR_PATTERN_INVALID',
      'a',
      'pattern',
    ]);
    assert.deepEqual(only(doc({ a: { ...collect, min: 8, max: 4 }, ...ends('b') })), [
      'IVR_SCHEMA',
      'a',
      'min',
    ]);
    const mixed = { type: 'condition', left: '1', op: 'eq', right: '1', true: 'b', false: 'b', default: 'b' };
    assert.deepEqual(only(doc({ a: mixed, ...ends('b') })), ['IVR_SCHEMA', 'a', 'default']);
    const listRight = { type: 'condition', left: '1', op: 'eq', right: ['1'], true: 'b', false: 'b' };
    assert.deepEqual(only(doc({ a: listRight, ...ends('b') })), ['IVR_SCHEMA', 'a', 'right']);
  });

  it('reports problems of the flow itself without a node', () => {
    const list = errors({
      id: 'bad id!',
      start: 'a',
      nodes: { a: { type: 'hangup' } },
      timeZone: 'Mars/Base',
    });
    assert.deepEqual(
      list.map((i) => [i.code, i.node, i.field]),
      [
        ['IVR_SCHEMA', null, 'id'],
        ['IVR_SCHEMA', null, 'timeZone'],
      ],
    );
    assert.deepEqual(
      errors('not a flow').map((i) => i.field),
      [''],
    );
  });
});
