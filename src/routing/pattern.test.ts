import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bestMatch,
  compilePattern,
  compilePrefix,
  compareSpecificity,
  matches,
  type CompiledPattern,
} from './pattern.js';

function compile(text: string): CompiledPattern {
  const r = compilePattern(text);
  if (!r.ok) throw new Error(r.message);
  return r.pattern;
}

function prefix(text: string): CompiledPattern {
  const r = compilePrefix(text);
  if (!r.ok) throw new Error(r.message);
  return r.pattern;
}

const accepts = (text: string, numbers: string[]) => numbers.filter((n) => matches(compile(text), n));

describe('compilePattern and matches', () => {
  it('matches a number without _ literally and only whole', () => {
    assert.deepEqual(accepts('110', ['110', '1100', '11', '010']), ['110']);
  });

  it('reads X as 0-9, Z as 1-9 and N as 2-9', () => {
    assert.deepEqual(accepts('_X', ['0', '1', '2', '9']), ['0', '1', '2', '9']);
    assert.deepEqual(accepts('_Z', ['0', '1', '2', '9']), ['1', '2', '9']);
    assert.deepEqual(accepts('_N', ['0', '1', '2', '9']), ['2', '9']);
    assert.deepEqual(accepts('_NXXXXXXX', ['23456789', '13456789', '2345678']), ['23456789']);
  });

  it('accepts lower-case x, z and n as Asterisk does', () => {
    assert.deepEqual(accepts('_nxx', ['200', '100']), ['200']);
  });

  it('reads sets with ranges, single characters and commas', () => {
    assert.deepEqual(accepts('_[1-5,7]X', ['10', '51', '61', '71', '81']), ['10', '51', '71']);
    assert.deepEqual(accepts('_[135]', ['1', '2', '3', '5']), ['1', '3', '5']);
    assert.deepEqual(accepts('_1[3-9]XXXXXXXXX', ['13800138000', '12800138000']), ['13800138000']);
  });

  it('needs at least one more character for . and allows none for !', () => {
    assert.deepEqual(accepts('_9.', ['9', '91', '9123']), ['91', '9123']);
    assert.deepEqual(accepts('_9!', ['9', '91', '9123', '8']), ['9', '91', '9123']);
  });

  it('takes *, # and + as themselves', () => {
    assert.deepEqual(accepts('_*7X', ['*71', '#71', '71']), ['*71']);
    assert.deepEqual(accepts('_+86.', ['+8613800138000', '8613800138000']), ['+8613800138000']);
    assert.deepEqual(accepts('_X#', ['1#', '1*']), ['1#']);
  });

  it('does not match characters that cannot be dialled', () => {
    assert.equal(matches(compile('_9.'), '9abc'), false);
    assert.equal(matches(compile('_X'), 'a'), false);
    assert.equal(matches(compile('_X.'), ''), false);
  });
});

describe('compilePattern errors', () => {
  const error = (text: string) => {
    const r = compilePattern(text);
    assert.equal(r.ok, false, `${text} should not compile`);
    return r.ok ? undefined : { code: r.code, column: r.column, message: r.message };
  };

  it('reports an unclosed [ at its column', () => {
    assert.deepEqual(error('_9[12'), {
      code: 'PATTERN_UNCLOSED_SET',
      column: 3,
      message: 'pattern "_9[12" at column 3: "[" is never closed by "]"',
    });
  });

  it('reports an empty set', () => {
    assert.equal(error('_9[]')?.code, 'PATTERN_EMPTY_SET');
    assert.equal(error('_9[,]')?.code, 'PATTERN_EMPTY_SET');
  });

  it('reports . or ! that is not the last character', () => {
    assert.deepEqual(error('_9.1'), {
      code: 'PATTERN_WILDCARD_NOT_LAST',
      column: 3,
      message: 'pattern "_9.1" at column 3: "." must be the last character',
    });
    assert.equal(error('_!9')?.code, 'PATTERN_WILDCARD_NOT_LAST');
  });

  it('reports characters that are neither classes nor dialable', () => {
    assert.deepEqual(
      [error('_9A'), error('_9 1'), error('abc'), error('_[1a]')].map((e) => [e?.code, e?.column]),
      [
        ['PATTERN_BAD_CHARACTER', 3],
        ['PATTERN_BAD_CHARACTER', 3],
        ['PATTERN_BAD_CHARACTER', 1],
        ['PATTERN_BAD_CHARACTER', 4],
      ],
    );
    assert.equal(error('_[1[2]]')?.code, 'PATTERN_BAD_CHARACTER');
  });

  it('reports ranges that run backwards or lack a digit on a side', () => {
    assert.equal(error('_[5-1]')?.code, 'PATTERN_BAD_RANGE');
    assert.equal(error('_[-5]')?.code, 'PATTERN_BAD_RANGE');
    assert.equal(error('_[5-]')?.code, 'PATTERN_BAD_RANGE');
    assert.equal(error('_[*-#]')?.code, 'PATTERN_BAD_RANGE');
  });

  it('reports an empty pattern', () => {
    assert.equal(error('')?.code, 'PATTERN_EMPTY');
    assert.equal(error('_')?.code, 'PATTERN_EMPTY');
    assert.equal(compilePrefix('').ok, false);
  });
});

describe('compilePrefix', () => {
  it('matches numbers that start with the prefix and go on', () => {
    const nine = prefix('9');
    assert.deepEqual(
      ['9', '91', '9013800138000', '89'].filter((n) => matches(nine, n)),
      ['91', '9013800138000'],
    );
  });

  it('refuses a prefix with characters that cannot be dialled', () => {
    const r = compilePrefix('9x');
    assert.equal(r.ok ? undefined : r.code, 'PATTERN_BAD_CHARACTER');
  });
});

describe('compareSpecificity', () => {
  const order = (texts: string[]) =>
    texts
      .map((t) => compile(t))
      .sort(compareSpecificity)
      .map((p) => p.source);

  it('puts a literal number before any pattern', () => {
    assert.deepEqual(order(['_X.', '_110', '110']), ['110', '_110', '_X.']);
  });

  it('prefers, position by position, the character that accepts fewer', () => {
    assert.deepEqual(order(['_XXX', '_ZXX', '_NXX', '_2XX', '_[2-3]XX']), [
      '_2XX',
      '_[2-3]XX',
      '_NXX',
      '_ZXX',
      '_XXX',
    ]);
  });

  it('puts . after any fixed position and ! after .', () => {
    assert.deepEqual(order(['_9!', '_9.', '_9X.', '_9XX']), ['_9XX', '_9X.', '_9.', '_9!']);
  });

  it('decides at the first position that differs, as Asterisk sorts a context', () => {
    assert.deepEqual(order(['_0X.', '_01[3-9]XXXXXXXXX', '_00X.']), ['_00X.', '_01[3-9]XXXXXXXXX', '_0X.']);
  });

  it('ranks a prefix like the pattern it stands for', () => {
    const sorted = [prefix('9'), compile('_9X.'), compile('_9!')]
      .sort(compareSpecificity)
      .map((p) => p.source);
    assert.deepEqual(sorted, ['_9X.', '9', '_9!']);
  });

  it('is zero only for equal patterns', () => {
    assert.equal(compareSpecificity(compile('_9X'), compile('_9X')), 0);
    assert.notEqual(compareSpecificity(compile('_[13]'), compile('_[14]')), 0);
  });
});

describe('bestMatch', () => {
  const routes = [
    { name: 'any', patterns: [compile('_X.')] },
    { name: 'mobile', patterns: [compile('_1[3-9]XXXXXXXXX')] },
    { name: 'police', patterns: [compile('110')] },
    { name: 'service', patterns: [compile('_1XX')] },
  ];

  it('picks the most specific matching pattern, whatever the order', () => {
    const pick = (n: string) => bestMatch(n, routes, (r) => r.patterns)?.item.name;
    assert.deepEqual(['110', '114', '13800138000', '88886666'].map(pick), [
      'police',
      'service',
      'mobile',
      'any',
    ]);
  });

  it('keeps the first of two equal patterns and says nothing when none matches', () => {
    const twins = [
      { name: 'a', patterns: [compile('_9X')] },
      { name: 'b', patterns: [compile('_9X')] },
    ];
    assert.equal(bestMatch('91', twins, (r) => r.patterns)?.item.name, 'a');
    assert.equal(
      bestMatch('81', twins, (r) => r.patterns),
      undefined,
    );
  });
});
