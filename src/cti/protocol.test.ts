import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AGENT_REQUEST_TYPES,
  ctiEventSchema,
  ctiRequestSchema,
  ctiResultSchemas,
  SUPERVISOR_REQUEST_TYPES,
  type CtiRequestType,
} from './protocol.js';
import { fakeQueueStats, fakeStatus, SAMPLE_REQUESTS } from './testing.js';

const issuesOf = (value: unknown) => ctiRequestSchema.safeParse(value).error?.issues ?? [];

describe('CTI protocol schemas', () => {
  it('accepts a sample of every request type, and every type has a result schema', () => {
    const types = Object.keys(SAMPLE_REQUESTS) as CtiRequestType[];
    assert.deepEqual(new Set(types), new Set([...AGENT_REQUEST_TYPES, ...SUPERVISOR_REQUEST_TYPES]));
    for (const type of types) {
      const parsed = ctiRequestSchema.safeParse({ v: 1, id: 7, ...SAMPLE_REQUESTS[type] });
      assert.ok(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`);
      assert.ok(type in ctiResultSchemas, `${type} has a result schema`);
    }
  });

  it('refuses an unknown request type at the path "type"', () => {
    assert.deepEqual(issuesOf({ v: 1, id: 1, type: 'selfDestruct' })[0]?.path, ['type']);
  });

  it('names the nested field that is wrong', () => {
    const issues = issuesOf({
      v: 1,
      id: 1,
      type: 'consult',
      callId: 'c',
      target: { type: 'number', number: 'abc' },
    });
    assert.deepEqual(issues[0]?.path, ['target', 'number']);
  });

  it('tells a blind transfer from a completed one by mode', () => {
    const complete = { v: 1, id: 'x', type: 'transfer', callId: 'c', mode: 'complete', consultCallId: 'c2' };
    assert.ok(ctiRequestSchema.safeParse(complete).success);
    const noTarget = { v: 1, id: 'x', type: 'transfer', callId: 'c', mode: 'blind' };
    assert.deepEqual(issuesOf(noTarget)[0]?.path, ['target']);
  });

  it('refuses unknown fields, so a misspelt field is not silently ignored', () => {
    const issues = issuesOf({ v: 1, id: 1, type: 'notReady', reason: 'lunch', reasn: 'x' });
    assert.equal(issues[0]?.code, 'unrecognized_keys');
  });

  it('refuses associated data with nested objects', () => {
    const issues = issuesOf({ v: 1, id: 1, type: 'makeCall', number: '1001', data: { a: { b: 1 } } });
    assert.deepEqual(issues[0]?.path, ['data', 'a']);
  });

  it('accepts a screen-pop event with everything the desktop shows', () => {
    const offered = {
      v: 1,
      event: 'callOffered',
      at: 1,
      callId: 'c-1',
      agent: '1001',
      caller: { number: '13800138000', name: '张三' },
      called: '4008001000',
      region: { province: '广东', city: '深圳', carrier: '中国移动' },
      queue: 'sales',
      waitMs: 12_000,
      direction: 'inbound',
      data: { orderId: 'A-42' },
    };
    assert.ok(ctiEventSchema.safeParse(offered).success);
    assert.ok(
      ctiEventSchema.safeParse({ v: 1, event: 'agentStateChanged', at: 1, status: fakeStatus('1001') })
        .success,
    );
    assert.ok(
      ctiEventSchema.safeParse({ v: 1, event: 'queueStats', at: 1, ...fakeQueueStats('sales') }).success,
    );
  });

  it('accepts a waiting call for the supervisor seat, and refuses a position of 0', () => {
    const queued = {
      v: 1,
      event: 'callQueued',
      at: 1,
      callId: 'c-1',
      queue: 'sales',
      caller: { number: '13800138000' },
      called: '4008001000',
      position: 1,
      priority: 90,
      data: { vip: true },
    };
    assert.ok(ctiEventSchema.safeParse(queued).success);
    assert.equal(ctiEventSchema.safeParse({ ...queued, position: 0 }).success, false);
  });
});
