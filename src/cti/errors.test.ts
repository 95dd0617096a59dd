import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CTI_ERROR_CODES } from './errors.js';
import { AGENT_REQUEST_TYPES, ctiEventSchema, SUPERVISOR_REQUEST_TYPES } from './protocol.js';

const doc = readFileSync(new URL('../../docs/cti.md', import.meta.url), 'utf8');

/** The section of the doc under a `## heading`, up to the next one. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `docs/cti.md has a "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Backticked words in the first cell of each table row of a section. */
function firstCells(text: string): Set<string> {
  const cells = new Set<string>();
  for (const line of text.split('\n')) {
    const first = line.startsWith('|') ? (line.split('|')[1] ?? '') : '';
    for (const m of first.matchAll(/`([^`]+)`/g)) cells.add(m[1]!);
  }
  return cells;
}

describe('docs/cti.md', () => {
  it('lists every error code, and no code the server does not have', () => {
    const documented = firstCells(section('Error codes'));
    assert.deepEqual([...documented].sort(), [...CTI_ERROR_CODES].sort());
  });

  it('describes every request type', () => {
    const documented = new Set([
      ...firstCells(section('Agent requests')),
      ...firstCells(section('Supervisor requests')),
    ]);
    const missing = [...AGENT_REQUEST_TYPES, ...SUPERVISOR_REQUEST_TYPES].filter((t) => !documented.has(t));
    assert.deepEqual(missing, []);
  });

  it('describes every event', () => {
    const documented = firstCells(section('Events'));
    const missing = ctiEventSchema.options.map((o) => o.shape.event.value).filter((e) => !documented.has(e));
    assert.deepEqual(missing, []);
  });
});
