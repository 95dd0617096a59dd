import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  configDefaults,
  configSchema,
  defaultMediaWorkers,
  MAX_DEFAULT_MEDIA_WORKERS,
  parseConfig,
} from './index.js';
import { listKeys } from './walk.js';

const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

/** Table rows whose first cell is a key in backticks: key → default cell. */
function documentedRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (key !== undefined && line.startsWith('|')) rows.set(key, cells[3] ?? '');
  }
  return rows;
}

/** Defaults that depend on the machine: the docs state the rule, checked here against the code. */
const MACHINE_DEFAULTS: ReadonlyMap<string, { readonly cell: string; readonly value: () => unknown }> =
  new Map([
    [
      'media.workers',
      { cell: `CPU cores, at most ${MAX_DEFAULT_MEDIA_WORKERS}`, value: () => defaultMediaWorkers() },
    ],
  ]);

const headings = new Set([...doc.matchAll(/^#+ `([^`]+)`/gm)].map((m) => m[1]));

/** The default of a documented path, walking the defaults (undefined inside lists or optional parts). */
function defaultAt(path: string): unknown {
  let value: unknown = configDefaults();
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || part.endsWith('[]')) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

describe('docs/configuration.md', () => {
  const rows = documentedRows();
  const keys = listKeys(configSchema).map((k) => k.path);

  it('describes every key of the schema', () => {
    const missing = keys.filter((k) => !rows.has(k) && !headings.has(k));
    assert.deepEqual(missing, [], `keys missing from docs/configuration.md: ${missing.join(', ')}`);
  });

  it('documents no key the schema does not have', () => {
    const known = new Set(keys);
    const stale = [...rows.keys()].filter((k) => !known.has(k));
    assert.deepEqual(stale, [], `docs/configuration.md documents unknown keys: ${stale.join(', ')}`);
  });

  it('gives the default each key really has', () => {
    for (const [key, cell] of rows) {
      const actual = defaultAt(key);
      const machine = MACHINE_DEFAULTS.get(key);
      if (machine !== undefined) {
        assert.equal(cell, machine.cell, `default of ${key}`);
        assert.deepEqual(actual, machine.value(), `default of ${key}`);
        continue;
      }
      if (actual === undefined || (typeof actual === 'object' && !Array.isArray(actual))) {
        assert.equal(cell, '—', `${key} has no default of its own, so its Default cell should be —`);
        continue;
      }
      const written: unknown = parse(cell.replace(/^`|`$/g, ''));
      assert.deepEqual(written, actual, `default of ${key}`);
    }
  });

  it('has an example that is a valid configuration', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example !== undefined);
    assert.doesNotThrow(() => parseConfig(example, 'docs example'));
  });
});
