import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IvrError } from './errors.js';
import { compareValues, evaluateExpr } from './evaluate.js';
import { parseJsonPath, valueAt } from './nodes/http.js';
import { resolvePrompt, SYSTEM_PROMPTS } from './prompts.js';
import { renderTemplate, templateProblem, templateVariables } from './template.js';
import { clockVariables, parseLocalTime } from './time.js';
import { CallVariables } from './variables.js';
import { promptText } from '../media/prompts/index.js';

const vars: Record<string, string> = { A: '12', B: 'abc', EMPTY: '' };
const lookup = (n: string) => vars[n];

describe('templates', () => {
  it('replaces each ${NAME}, unknown names by the empty string', () => {
    assert.equal(renderTemplate('${A}-${B}-${NOPE}-$5', lookup), '12-abc--$5');
    assert.deepEqual(templateVariables('${A}${B}${A}'), ['A', 'B']);
  });

  it('finds unclosed references and bad names', () => {
    assert.equal(templateProblem('ok ${A}'), null);
    assert.match(templateProblem('${A')!.message, /without its closing/);
    assert.match(templateProblem('${A B}')!.message, /does not name a variable/);
  });
});

describe('set expressions', () => {
  it('adds decimals without floating-point noise and treats empty as 0', () => {
    assert.equal(evaluateExpr({ add: ['0.1', '0.2'] }, lookup), '0.3');
    assert.equal(evaluateExpr({ add: ['${A}', '${EMPTY}', '-2'] }, lookup), '10');
  });

  it('nests concat and substring over Chinese text by characters', () => {
    assert.equal(
      evaluateExpr({ concat: [{ substring: { of: '反诈中心', start: 0, length: 2 } }, '${A}'] }, lookup),
      '反诈12',
    );
  });

  it('refuses to add text', () => {
    assert.throws(
      () => evaluateExpr({ add: ['${B}'] }, lookup),
      (e: unknown) => e instanceof IvrError && e.code === 'IVR_EVAL_FAILED',
    );
  });
});

describe('comparisons', () => {
  it('compares numbers as numbers and text as text', () => {
    assert.equal(compareValues('eq', '007', '7', 'auto'), true);
    assert.equal(compareValues('eq', '007', '7', 'text'), false);
    assert.equal(compareValues('gt', '10', '9', 'auto'), true);
    assert.equal(compareValues('gt', '10', '9', 'text'), false);
    assert.equal(compareValues('lt', 'abc', 'abd', 'auto'), true);
    assert.equal(compareValues('le', '2.50', '2.5', 'auto'), true);
    assert.equal(compareValues('ge', '-1', '0', 'auto'), false);
    assert.equal(compareValues('ne', 'a', 'b', 'auto'), true);
  });

  it('supports startsWith, contains, matches and in', () => {
    assert.equal(compareValues('startsWith', '13800138000', '138', 'auto'), true);
    assert.equal(compareValues('contains', '北京市朝阳区', '朝阳', 'auto'), true);
    assert.equal(compareValues('matches', '13800138000', '^1[3-9]\\d{9}$', 'auto'), true);
    assert.equal(compareValues('matches', '0101234', '^1', 'auto'), false);
    assert.equal(compareValues('in', '2', ['1', '02'], 'auto'), true);
    assert.equal(compareValues('in', '3', ['1', '2'], 'auto'), false);
  });
});

describe('HTTP result paths', () => {
  it('reads dotted paths with indexes, objects as JSON and missing values as empty', () => {
    const json = { a: { b: [{ c: 5 }, { c: null }] }, flag: true };
    assert.deepEqual(parseJsonPath('$.a.b[1].c'), ['a', 'b', '1', 'c']);
    assert.equal(valueAt(json, '$.a.b[0].c'), '5');
    assert.equal(valueAt(json, 'a.b.1.c'), '');
    assert.equal(valueAt(json, 'flag'), 'true');
    assert.equal(valueAt(json, 'a.x.y'), '');
    assert.equal(valueAt(json, 'a.b[0]'), '{"c":5}');
  });
});

describe('built-in variables and time', () => {
  it('gives DATE, TIME and DATETIME in the flow time zone', () => {
    const instant = Date.UTC(2026, 8, 30, 16, 30, 5); // 2026-10-01 00:30:05 in Shanghai
    assert.deepEqual(clockVariables(instant, 'Asia/Shanghai'), {
      DATE: '20261001',
      TIME: '003005',
      DATETIME: '20261001003005',
    });
    assert.deepEqual(clockVariables(instant, 'UTC'), {
      DATE: '20260930',
      TIME: '163005',
      DATETIME: '20260930163005',
    });
  });

  it('reads --at times in a time zone, or with their own offset', () => {
    assert.equal(parseLocalTime('2026-10-01T09:00', 'Asia/Shanghai'), Date.UTC(2026, 9, 1, 1, 0));
    assert.equal(parseLocalTime('2026-07-01 09:00:30', 'America/New_York'), Date.UTC(2026, 6, 1, 13, 0, 30));
    assert.equal(parseLocalTime('2026-10-01', 'Asia/Shanghai'), Date.UTC(2026, 8, 30, 16, 0));
    assert.equal(parseLocalTime('2026-10-01T09:00Z', 'Asia/Shanghai'), Date.UTC(2026, 9, 1, 9, 0));
    assert.equal(parseLocalTime('2026-02-30T09:00', 'Asia/Shanghai'), null);
    assert.equal(parseLocalTime('tomorrow', 'Asia/Shanghai'), null);
  });

  it('keeps built-ins read-only and returns everything as associated data', () => {
    const v = new CallVariables(
      { callId: 'c1', ani: '138', dnis: '96110' },
      () => Date.UTC(2026, 9, 1, 1),
      'Asia/Shanghai',
      'zh-CN',
    );
    v.declare({ X: '1', ANI: 'no' });
    v.set('ANI', 'changed');
    v.set('Y', '2');
    v.lang = 'en';
    assert.deepEqual(v.snapshot(), {
      ANI: '138',
      DNIS: '96110',
      CALLID: 'c1',
      DATE: '20261001',
      TIME: '090000',
      DATETIME: '20261001090000',
      LANG: 'en',
      X: '1',
      Y: '2',
    });
  });
});

describe('prompt resolution', () => {
  it('gives every system prompt a flow may name its text in both languages', () => {
    for (const id of SYSTEM_PROMPTS) {
      assert.equal(resolvePrompt({ prompt: id }, 'en', lookup).kind, 'system');
      assert.equal(
        (resolvePrompt({ prompt: id }, 'zh-CN', lookup) as { text: string }).text,
        promptText(id, 'zh-CN'),
      );
    }
  });

  it("lets a flow's own text override a system prompt", () => {
    assert.deepEqual(
      resolvePrompt({ prompt: 'goodbye' }, 'zh-CN', lookup, { goodbye: { 'zh-CN': '再见${A}' } }),
      {
        kind: 'tts',
        text: '再见12',
        lang: 'zh-CN',
      },
    );
  });

  it('keeps the language a tts prompt names', () => {
    assert.deepEqual(resolvePrompt({ tts: 'Press 2', lang: 'en' }, 'zh-CN', lookup), {
      kind: 'tts',
      text: 'Press 2',
      lang: 'en',
    });
  });
});
