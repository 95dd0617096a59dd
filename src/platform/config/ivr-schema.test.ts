import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_STEPS } from '../../ivr/limits.js';
import { IVR_DEFAULT_MAX_STEPS, ivrSchema } from './ivr-schema.js';
import { formatProblems } from './problems.js';

describe('ivrSchema', () => {
  it('defaults to no flows and the interpreter loop guard', () => {
    assert.deepEqual(ivrSchema.parse({}), { flows: {}, maxSteps: IVR_DEFAULT_MAX_STEPS });
    assert.equal(IVR_DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS);
  });

  it('takes flows as file paths or inline mappings', () => {
    const parsed = ivrSchema.parse({
      flows: { antifraud: 'flows/antifraud.json', inline: { start: 'a', nodes: {} } },
    });
    assert.equal(parsed.flows['antifraud'], 'flows/antifraud.json');
    assert.deepEqual(parsed.flows['inline'], { start: 'a', nodes: {} });
  });

  it('names the key of each problem', () => {
    const r = ivrSchema.safeParse({
      flows: { 'bad id': 'x.json', ok: 3, empty: '' },
      maxSteps: 5,
      colour: 1,
    });
    assert.ok(!r.success);
    assert.deepEqual(formatProblems(r.error.issues, ivrSchema).sort(), [
      'colour: unknown key',
      'flows.empty: must not be empty',
      'flows.ok: must be a path to a flow file or an inline flow (a mapping)',
      'flows["bad id"]: key must be a flow id: 1 to 64 letters, digits, _ or -',
      'maxSteps: must be at least 10',
    ]);
  });
});
