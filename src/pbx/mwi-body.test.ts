import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptsSummary,
  eventHeaderValue,
  messageSummaryBody,
  parseEventHeader,
  subscriptionExpiry,
} from './mwi-body.js';

const LIMITS = { minSeconds: 60, maxSeconds: 3600, defaultSeconds: 3600 };

describe('The message-summary package (RFC 3842)', () => {
  it('writes the summary body: waiting or not, the account, and new/old counts', () => {
    assert.equal(
      messageSummaryBody({ newCount: 2, oldCount: 5 }, 'sip:1001@pbx.example.com'),
      'Messages-Waiting: yes\r\nMessage-Account: sip:1001@pbx.example.com\r\nVoice-Message: 2/5 (0/0)\r\n',
    );
    assert.match(
      messageSummaryBody({ newCount: 0, oldCount: 3 }, 'sip:1@d'),
      /^Messages-Waiting: no\r\n.*Voice-Message: 0\/3 \(0\/0\)/s,
    );
  });

  it('reads the Event header’s package, case-insensitively, and its id', () => {
    assert.deepEqual(parseEventHeader('Message-Summary'), { pkg: 'message-summary' });
    assert.deepEqual(parseEventHeader('message-summary ; id=42'), { pkg: 'message-summary', id: '42' });
    assert.deepEqual(parseEventHeader('presence'), { pkg: 'presence' });
    assert.equal(parseEventHeader(undefined), undefined);
    assert.equal(parseEventHeader(' '), undefined);
    assert.equal(eventHeaderValue('42'), 'message-summary;id=42');
    assert.equal(eventHeaderValue(), 'message-summary');
  });

  it('takes a subscriber that accepts the summary body, any application body, or says nothing', () => {
    assert.equal(acceptsSummary(undefined), true);
    assert.equal(acceptsSummary('application/simple-message-summary'), true);
    assert.equal(acceptsSummary('application/pidf+xml, Application/*;q=0.5'), true);
    assert.equal(acceptsSummary('*/*'), true);
    assert.equal(acceptsSummary('application/pidf+xml'), false);
  });

  it('grants the default when no Expires is given, caps at the maximum, and refuses too brief a one', () => {
    assert.deepEqual(subscriptionExpiry(undefined, LIMITS), { ok: true, seconds: 3600 });
    assert.deepEqual(subscriptionExpiry('600', LIMITS), { ok: true, seconds: 600 });
    assert.deepEqual(subscriptionExpiry('86400', LIMITS), { ok: true, seconds: 3600 });
    assert.deepEqual(subscriptionExpiry('0', LIMITS), { ok: true, seconds: 0 });
    assert.deepEqual(subscriptionExpiry('30', LIMITS), { ok: false, status: 423, minExpires: 60 });
    assert.deepEqual(subscriptionExpiry('-1', LIMITS), { ok: false, status: 400, reason: 'Invalid Expires' });
    assert.deepEqual(subscriptionExpiry('soon', LIMITS), {
      ok: false,
      status: 400,
      reason: 'Invalid Expires',
    });
  });
});
