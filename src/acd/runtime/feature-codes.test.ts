import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { route } from '../../pbx/dialplan.js';
import { DEFAULT_AGENT_FEATURE_CODES, matchAgentFeature } from './feature-codes.js';

describe('agent feature codes', () => {
  it('maps *60 to *64 to login, logout, ready, not ready and connect', () => {
    assert.deepEqual(
      ['*60', '*61', '*62', '*63', '*64', '*65'].map((c) =>
        matchAgentFeature(c, DEFAULT_AGENT_FEATURE_CODES),
      ),
      ['login', 'logout', 'ready', 'notReady', 'connect', undefined],
    );
  });

  it('routes the codes in the dialplan only when the ACD gives them', () => {
    const plan = {
      echoCode: '*43',
      dtmfTestCode: '*44',
      recordTestCode: '*45',
      conferenceCode: '*46',
      extensions: new Set(['1001']),
    };
    assert.deepEqual(route('*62', { ...plan, acd: DEFAULT_AGENT_FEATURE_CODES }), {
      kind: 'agent-feature',
      feature: 'ready',
    });
    assert.deepEqual(route('*62', plan), { kind: 'unknown' });
    assert.deepEqual(route('1001', { ...plan, acd: DEFAULT_AGENT_FEATURE_CODES }), {
      kind: 'extension',
      number: '1001',
    });
  });
});
