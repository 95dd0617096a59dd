import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctiSchema } from './cti-schema.js';
import { queueLogSchema } from './queue-log-schema.js';

const issues = (value: unknown) =>
  (ctiSchema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('cti configuration', () => {
  it('defaults to a disabled server on 0.0.0.0:8090 with no tokens', () => {
    assert.deepEqual(ctiSchema.parse({}), {
      enabled: false,
      port: 8090,
      bindAddress: '0.0.0.0',
      tokens: [],
      pingInterval: 10,
      maxBufferedBytes: 1_048_576,
    });
  });

  it('accepts agent, supervisor and integration tokens', () => {
    const tokens = [
      { token: 'a'.repeat(16), agent: '1001', role: 'agent', name: 'desk-1001' },
      { token: 'b'.repeat(16), agent: '8001', role: 'supervisor', name: 'lead' },
      { token: 'c'.repeat(16), role: 'integration', name: 'crm' },
    ];
    assert.deepEqual(ctiSchema.parse({ tokens }).tokens, tokens);
  });

  it('names the key of a short token, a token reused, an agent token without agent, a duplicate name', () => {
    const found = issues({
      tokens: [
        { token: 'short', role: 'integration', name: 'a' },
        { token: 'x'.repeat(16), role: 'agent', name: 'b' },
        { token: 'x'.repeat(16), role: 'integration', name: 'b' },
      ],
    });
    assert.ok(found.includes('tokens.0.token: must be at least 16 characters'), found.join('\n'));
    assert.ok(found.includes('tokens.1.agent: an agent token must name its agent'), found.join('\n'));
    assert.ok(found.includes('tokens.2.token: same token as cti.tokens[1]'), found.join('\n'));
    assert.ok(found.includes('tokens.2.name: duplicate token name "b"'), found.join('\n'));
    assert.ok(!found.some((f) => f.includes('x'.repeat(16))), 'messages never repeat a token');
  });

  it('refuses a bind address that is not an IP address', () => {
    assert.deepEqual(issues({ bindAddress: 'localhost' }), [
      'bindAddress: must be an IP address such as 0.0.0.0 or ::',
    ]);
  });
});

describe('queueLog configuration', () => {
  it('has no file by default and takes a path', () => {
    assert.deepEqual(queueLogSchema.parse({}), {});
    assert.deepEqual(queueLogSchema.parse({ file: 'queue_log' }), { file: 'queue_log' });
    assert.equal(queueLogSchema.safeParse({ file: '' }).success, false);
  });
});
