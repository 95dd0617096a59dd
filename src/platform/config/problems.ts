/**
 * Turns zod issues into one line per problem, `path: what is wrong`, in words an operator
 * editing a YAML file understands: `sip.udpPort: expected number, received string`.
 */
import type { z } from 'zod';
import { objectKeys, schemaAt } from './walk.js';

type Issue = z.core.$ZodIssue;

/** `sip.tls.certFile`, `extensions[1].number`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

function expectedName(expected: string): string {
  if (expected === 'object') return 'mapping';
  if (expected === 'array') return 'list';
  return expected;
}

function describeInvalidType(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  const expected = expectedName(issue.expected);
  if (issue.input === undefined) return `missing (expected ${expected})`;
  if (issue.expected === 'int' && typeof issue.input === 'number') {
    return `expected a whole number, received ${issue.input}`;
  }
  const line = `expected ${expected}, received ${typeName(issue.input)}`;
  // YAML reads 1001 as a number; extension numbers and codes are strings (leading zeros matter).
  if (issue.expected === 'string' && typeof issue.input === 'number') {
    return `${line}; write it in quotes, e.g. "${issue.input}"`;
  }
  return line;
}

function describeSize(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  const word = small ? 'at least' : 'at most';
  if (issue.origin === 'string' && small && bound === 1) return 'must not be empty';
  if (issue.origin === 'string') return `must be ${word} ${bound} characters long`;
  if (issue.origin === 'array') return `must list ${word} ${bound} item${bound === 1 ? '' : 's'}`;
  return `must be ${word} ${bound}`;
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return describeInvalidType(issue);
    case 'too_small':
    case 'too_big':
      return describeSize(issue);
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v)).join(', ');
      return `expected one of ${options}; received ${JSON.stringify(issue.input)}`;
    }
    case 'invalid_key':
      // A mapping key (a music-on-hold class name) broke its own rule: say which rule.
      return `key ${issue.issues.map((inner) => describe(inner as Issue)).join('; ')}`;
    default:
      // invalid_format and custom carry the message written beside the rule in schema.ts.
      return issue.message;
  }
}

/** Levenshtein distance, for "did you mean" on a mistyped key. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function suggestKey(known: readonly string[], key: string): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  return known.find((k) => distance(k.toLowerCase(), lower) <= 2);
}

/**
 * One line per problem. An unknown key yields one line per key, naming the key itself;
 * when `schema` is given, a near miss gets a hint (`sip.udpport: unknown key, did you mean udpPort?`).
 */
export function formatProblems(issues: readonly Issue[], schema?: z.core.$ZodType): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      lines.push(`${formatPath(issue.path)}: ${describe(issue)}`);
      continue;
    }
    const known = schema === undefined ? [] : objectKeys(schemaAt(schema, issue.path));
    for (const key of issue.keys) {
      const hint = suggestKey(known, key);
      const suffix = hint === undefined ? '' : `, did you mean ${hint}?`;
      lines.push(`${formatPath([...issue.path, key])}: unknown key${suffix}`);
    }
  }
  return lines;
}
