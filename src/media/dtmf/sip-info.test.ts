import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DtmfError } from './errors.js';
import { DEFAULT_INFO_DURATION_MS, isDtmfInfoContentType, parseSipInfoDtmf } from './sip-info.js';

const RELAY = 'application/dtmf-relay';

function fails(contentType: string, body: string | Uint8Array, code: string, status: number): void {
  assert.throws(
    () => parseSipInfoDtmf(contentType, body, 0),
    (e: unknown) => e instanceof DtmfError && e.code === code && e.sipStatus === status,
    JSON.stringify(body),
  );
}

describe('parseSipInfoDtmf', () => {
  it('reads application/dtmf-relay Signal and Duration', () => {
    assert.deepEqual(parseSipInfoDtmf(RELAY, 'Signal=5\r\nDuration=160\r\n', 42), {
      source: 'info',
      digit: '5',
      timeMs: 42,
      durationMs: 160,
    });
  });

  it('accepts every key, lower-case letters, bare LF, spaces and vendor keys', () => {
    for (const [signal, digit] of [
      ['*', '*'],
      ['#', '#'],
      ['a', 'A'],
      ['D', 'D'],
      ['0', '0'],
    ]) {
      const ev = parseSipInfoDtmf(
        `${RELAY}; charset=utf-8`,
        `X-Vendor=1\n signal = ${signal} \nDuration= 250\n`,
        0,
      );
      assert.equal(ev?.digit, digit);
      assert.equal(ev?.durationMs, 250);
    }
  });

  it('maps RFC 4733 event codes 10–15 sent as Signal to * # A–D', () => {
    assert.deepEqual(
      ['10', '11', '12', '15'].map((s) => parseSipInfoDtmf(RELAY, `Signal=${s}`, 0)?.digit),
      ['*', '#', 'A', 'D'],
    );
  });

  it('uses the default duration when Duration is absent or 0', () => {
    assert.equal(parseSipInfoDtmf(RELAY, 'Signal=1', 0)?.durationMs, DEFAULT_INFO_DURATION_MS);
    assert.equal(parseSipInfoDtmf(RELAY, 'Signal=1\r\nDuration=0', 0)?.durationMs, DEFAULT_INFO_DURATION_MS);
  });

  it('reads application/dtmf as a single key, from text or bytes', () => {
    assert.equal(parseSipInfoDtmf('application/dtmf', '7\r\n', 0)?.digit, '7');
    assert.equal(parseSipInfoDtmf('Application/DTMF', new TextEncoder().encode('#'), 0)?.digit, '#');
    assert.equal(parseSipInfoDtmf('application/dtmf', '11', 0)?.digit, '#');
  });

  it('returns null for hook flash in either format', () => {
    assert.equal(parseSipInfoDtmf(RELAY, 'Signal=!\r\nDuration=500', 0), null);
    assert.equal(parseSipInfoDtmf(RELAY, 'Signal=16', 0), null);
    assert.equal(parseSipInfoDtmf('application/dtmf', '!', 0), null);
  });

  it('rejects garbage with DTMF_INFO_MALFORMED (400)', () => {
    for (const body of [
      '',
      'Duration=160',
      'Signal=',
      'Signal=55',
      'Signal=E',
      'Signal=12345',
      'Signal=1\r\nSignal=2',
      'Signal=1\r\nDuration=abc',
      'Signal=1\r\nDuration=-5',
      'Signal=1\r\nDuration=99999999',
      'Signal=1\r\nDuration=1\r\nDuration=2',
      'just text',
      '=5',
      `Signal=1\r\n${'X=1\r\n'.repeat(300)}`,
    ]) {
      fails(RELAY, body, 'DTMF_INFO_MALFORMED', 400);
    }
    for (const body of ['', '20', 'xx', '5 6', '17'])
      fails('application/dtmf', body, 'DTMF_INFO_MALFORMED', 400);
  });

  it('rejects other content types with DTMF_INFO_UNSUPPORTED_TYPE (415)', () => {
    fails('application/sdp', 'Signal=5', 'DTMF_INFO_UNSUPPORTED_TYPE', 415);
    fails('text/plain', '5', 'DTMF_INFO_UNSUPPORTED_TYPE', 415);
    assert.equal(isDtmfInfoContentType('application/dtmf-relay;x=y'), true);
    assert.equal(isDtmfInfoContentType('application/media_control+xml'), false);
  });
});
