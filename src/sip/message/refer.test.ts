import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mustParseRequest, sip } from './fixtures.test.js';
import {
  SIPFRAG_CONTENT_TYPE,
  formatReplaces,
  parseReferTo,
  parseReplaces,
  parseSipfragStatus,
  referSubscriptionState,
  referToWithReplaces,
  sipfrag,
  wantsNoReferSubscription,
  type ReferTo,
  type ReplacesTarget,
} from './refer.js';
import { formatUri, parseUri } from './uri.js';

function referTo(value: string): ReferTo {
  const r = parseReferTo(value);
  if (!r.ok) assert.fail(`"${value}" did not parse: ${r.reason}`);
  return r.value;
}

function referToReason(value: string): string {
  const r = parseReferTo(value);
  if (r.ok) assert.fail(`"${value}" should not parse`);
  return r.reason;
}

function replaces(value: string): ReplacesTarget {
  const r = parseReplaces(value);
  if (!r.ok) assert.fail(`"${value}" did not parse: ${r.reason}`);
  return r.value;
}

function replacesReason(value: string): string {
  const r = parseReplaces(value);
  if (r.ok) assert.fail(`"${value}" should not parse`);
  return r.reason;
}

describe('parseReplaces', () => {
  test('reads the RFC 3891 §6.1 example', () => {
    assert.deepEqual(replaces('425928@bobster.example.org;to-tag=7743;from-tag=6472'), {
      callId: '425928@bobster.example.org',
      toTag: '7743',
      fromTag: '6472',
      earlyOnly: false,
    });
  });

  test('reads early-only, any parameter order, spaces around semicolons and upper-case names', () => {
    assert.deepEqual(replaces(' 98asjd8@test.com ; From-Tag=1234 ;early-only; TO-TAG=abcd '), {
      callId: '98asjd8@test.com',
      toTag: 'abcd',
      fromTag: '1234',
      earlyOnly: true,
    });
  });

  test('keeps Call-ID and tag case, and ignores unknown parameters', () => {
    const t = replaces('AbC-9f_x.1@Host;to-tag=AsDf;from-tag=QwEr;x-vendor=1');
    assert.equal(t.callId, 'AbC-9f_x.1@Host');
    assert.equal(t.toTag, 'AsDf');
    assert.equal(t.fromTag, 'QwEr');
  });

  test('names the missing part', () => {
    assert.equal(replacesReason(''), 'Missing Call-ID in Replaces');
    assert.equal(replacesReason(';to-tag=1;from-tag=2'), 'Missing Call-ID in Replaces');
    assert.equal(replacesReason('abc@host;from-tag=2'), 'Missing to-tag in Replaces');
    assert.equal(replacesReason('abc@host;to-tag=1'), 'Missing from-tag in Replaces');
    assert.equal(replacesReason('abc@host'), 'Missing to-tag in Replaces');
  });

  test('names a malformed part', () => {
    assert.equal(replacesReason('abc@host;to-tag;from-tag=2'), 'Bad to-tag in Replaces');
    assert.equal(replacesReason('abc@host;to-tag=1;from-tag="a b"'), 'Bad from-tag in Replaces');
    assert.equal(replacesReason('abc def;to-tag=1;from-tag=2'), 'Bad Call-ID in Replaces');
    assert.equal(replacesReason('a@b@c;to-tag=1;from-tag=2'), 'Bad Call-ID in Replaces');
    assert.equal(replacesReason('abc;to-tag=1;to-tag=3;from-tag=2'), 'Bad Replaces parameter');
    assert.equal(replacesReason('abc;to-tag=1;from-tag=2;;'), 'Bad Replaces parameter');
  });

  test('round-trips through formatReplaces', () => {
    const t: ReplacesTarget = { callId: 'x@y', toTag: 't', fromTag: 'f', earlyOnly: true };
    assert.equal(formatReplaces(t), 'x@y;to-tag=t;from-tag=f;early-only');
    assert.deepEqual(replaces(formatReplaces(t)), t);
  });
});

describe('parseReferTo', () => {
  test('reads a blind transfer target with no Replaces', () => {
    const r = referTo('<sip:1002@pbx.example.com>');
    assert.equal(r.replaces, null);
    assert.equal(formatUri(r.target.uri), 'sip:1002@pbx.example.com');
  });

  test('reads a blind transfer addr-spec with header parameters after it', () => {
    const r = referTo('sip:1002@pbx.example.com;method=INVITE');
    assert.equal(r.replaces, null);
    assert.deepEqual(r.target.params, { method: 'INVITE' });
  });

  test('reads the RFC 3891 §6.1 attended transfer and removes Replaces from the target', () => {
    const r = referTo(
      '<sips:alice@phone2.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>',
    );
    assert.deepEqual(r.replaces, {
      callId: '12345@192.168.118.3',
      toTag: '12345',
      fromTag: '5FFE-3994',
      earlyOnly: false,
    });
    assert.deepEqual(r.target.uri, {
      scheme: 'sips',
      user: 'alice',
      host: 'phone2.example.org',
      params: {},
      headers: {},
    });
  });

  test('reads a Polycom-style Refer-To with a display name and port', () => {
    const r = referTo(
      '"Sales 1002" <sip:1002@192.168.1.10:5060?Replaces=1f2e3d4c-5b6a7980%40192.168.1.20%3Bto-tag%3D9A8B7C%3Bfrom-tag%3D1234ABCD>',
    );
    assert.equal(r.target.displayName, 'Sales 1002');
    assert.equal(r.target.uri.port, 5060);
    assert.equal(r.replaces?.callId, '1f2e3d4c-5b6a7980@192.168.1.20');
    assert.equal(r.replaces?.toTag, '9A8B7C');
  });

  test('reads a Yealink-style Refer-To with its underscore Call-ID', () => {
    const r = referTo(
      '<sip:1002@pbx.example.com:5060?Replaces=0_1234567890%40192.168.1.30%3Bto-tag%3Das6a2b8c1d%3Bfrom-tag%3D1839203746>',
    );
    assert.deepEqual(r.replaces, {
      callId: '0_1234567890@192.168.1.30',
      toTag: 'as6a2b8c1d',
      fromTag: '1839203746',
      earlyOnly: false,
    });
  });

  test('reads a Grandstream-style Refer-To with URI parameters before the headers', () => {
    const r = referTo(
      '<sip:1002@10.0.0.1;user=phone;transport=udp?Replaces=abc123%4010.0.0.5%3Bto-tag%3D87654321%3Bfrom-tag%3D12345678>',
    );
    assert.deepEqual(r.target.uri.params, { user: 'phone', transport: 'udp' });
    assert.deepEqual(r.target.uri.headers, {});
    assert.equal(r.replaces?.fromTag, '12345678');
  });

  test('reads a Linphone-style Refer-To with lower-case escapes and a token display name', () => {
    const r = referTo(
      'Bob <sip:bob@sip.example.org?Replaces=YKV2tZ0uYa%3bto-tag%3dc0a800a5%3bfrom-tag%3dK9qpBDl7>',
    );
    assert.equal(r.target.displayName, 'Bob');
    assert.deepEqual(r.replaces, {
      callId: 'YKV2tZ0uYa',
      toTag: 'c0a800a5',
      fromTag: 'K9qpBDl7',
      earlyOnly: false,
    });
  });

  test('reads an unescaped Replaces inside angle brackets', () => {
    const r = referTo('<sip:1002@10.0.0.1?Replaces=abc@10.0.0.5;to-tag=1;from-tag=2;early-only>');
    assert.deepEqual(r.replaces, { callId: 'abc@10.0.0.5', toTag: '1', fromTag: '2', earlyOnly: true });
    assert.equal(formatUri(r.target.uri), 'sip:1002@10.0.0.1');
  });

  test('reads an addr-spec with an escaped or unescaped Replaces as one URI', () => {
    const escaped = referTo(
      'sip:1002@10.0.0.1;transport=tcp?Replaces=abc%4010.0.0.5%3Bto-tag%3D1%3Bfrom-tag%3D2',
    );
    assert.deepEqual(escaped.target.uri.params, { transport: 'tcp' });
    assert.equal(escaped.replaces?.callId, 'abc@10.0.0.5');
    const raw = referTo('sip:1002@10.0.0.1?Replaces=abc@10.0.0.5;to-tag=1;from-tag=2');
    assert.deepEqual(raw.target.params, {});
    assert.equal(raw.replaces?.fromTag, '2');
  });

  test('keeps other URI headers and header parameters, whichever side of Replaces they are on', () => {
    const first = referTo('<sip:b@h?Replaces=c%3Bto-tag%3D1%3Bfrom-tag%3D2&Require=replaces>;x=1');
    assert.deepEqual(first.target.uri.headers, { Require: 'replaces' });
    assert.deepEqual(first.target.params, { x: '1' });
    const last = referTo('<sip:b@h?Require=replaces&replaces=c%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    assert.deepEqual(last.target.uri.headers, { Require: 'replaces' });
    assert.equal(last.replaces?.callId, 'c');
  });

  test('reads a Replaces into a user-less target', () => {
    const r = referTo('<sip:10.0.0.9?Replaces=k%4010.0.0.5%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    assert.equal(r.target.uri.host, '10.0.0.9');
    assert.equal(r.target.uri.user, undefined);
  });

  test('names what is wrong with a malformed Refer-To', () => {
    assert.equal(referToReason(''), 'Empty Refer-To');
    assert.equal(referToReason('<sip:b@h'), 'Bad address in Refer-To');
    assert.equal(referToReason('"Bob <sip:b@h>'), 'Unterminated quoted string in Refer-To');
    assert.equal(referToReason('<http://example.com/transfer>'), 'Unsupported URI scheme in Refer-To');
    assert.equal(referToReason('<sip:@h>'), 'Bad URI user in Refer-To');
    assert.equal(referToReason('<sip:b@h?Replaces=abc%3Bfrom-tag%3D2>'), 'Missing to-tag in Replaces');
    assert.equal(referToReason('<sip:b@h?Replaces=%3Bto-tag%3D1>'), 'Missing Call-ID in Replaces');
    assert.equal(referToReason('<sip:b@h?Replaces=abc%ZZ>'), 'Bad character or escape in Replaces');
    assert.equal(
      referToReason('<sip:b@h?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2%20x>'),
      'Bad Replaces parameter',
    );
    assert.equal(
      referToReason('<sip:b@h?Replaces=a%3Bto-tag%3D1%3Bfrom-tag%3D2&Replaces=b>'),
      'Duplicate Replaces in Refer-To',
    );
    assert.equal(
      referToReason('<sip:b@h?Replaces=abc;to-tag=1;from-tag=2 x>'),
      'Bad character or escape in Replaces',
    );
  });
});

describe('referToWithReplaces', () => {
  const target: ReplacesTarget = {
    callId: '12345@192.168.118.3',
    toTag: '12345',
    fromTag: '5FFE-3994',
    earlyOnly: false,
  };

  test('escapes Replaces as RFC 3891 §6.1 shows', () => {
    const uri = parseUri('sips:alice@phone2.example.org');
    assert.ok(uri.ok);
    assert.equal(
      referToWithReplaces(uri.value, target),
      '<sips:alice@phone2.example.org?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>',
    );
  });

  test('keeps a name-addr’s display name and replaces an old Replaces header', () => {
    const old = referTo('"Agent 7" <sip:7@pbx?Replaces=old%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    const withOld = { ...old.target, uri: { ...old.target.uri, headers: { replaces: 'old' } } };
    const value = referToWithReplaces(withOld, { ...target, earlyOnly: true });
    assert.equal(
      value,
      '"Agent 7" <sip:7@pbx?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994%3Bearly-only>',
    );
  });

  test('parses back to the same target and Replaces', () => {
    const uri = parseUri('sip:1002@10.0.0.1;transport=tcp');
    assert.ok(uri.ok);
    const r = referTo(referToWithReplaces(uri.value, target));
    assert.deepEqual(r.replaces, target);
    assert.deepEqual(r.target.uri, uri.value);
  });
});

describe('sipfrag', () => {
  test('writes a status line for a NOTIFY body', () => {
    assert.equal(sipfrag(200, 'OK'), 'SIP/2.0 200 OK\r\n');
    assert.equal(sipfrag(100, 'Trying'), 'SIP/2.0 100 Trying\r\n');
    assert.equal(sipfrag(486), 'SIP/2.0 486 Busy Here\r\n');
    assert.equal(SIPFRAG_CONTENT_TYPE, 'message/sipfrag;version=2.0');
  });

  test('keeps CR and LF of a reason phrase out of the fragment', () => {
    assert.equal(sipfrag(603, 'Decline\r\nX-Evil: 1'), 'SIP/2.0 603 Decline X-Evil: 1\r\n');
  });

  test('refuses a status that is not a SIP status code', () => {
    assert.throws(() => sipfrag(99, 'x'), RangeError);
    assert.throws(() => sipfrag(700, 'x'), RangeError);
    assert.throws(() => sipfrag(200.5, 'x'), RangeError);
  });

  test('reads the status of the bodies phones send', () => {
    assert.equal(parseSipfragStatus('SIP/2.0 200 OK\r\n'), 200);
    assert.equal(parseSipfragStatus(Buffer.from('SIP/2.0 180 Ringing\r\n')), 180);
    assert.equal(parseSipfragStatus('SIP/2.0 100 Trying'), 100, 'without CRLF');
    assert.equal(parseSipfragStatus('SIP/2.0 503\r\n'), 503, 'without a reason phrase');
    assert.equal(parseSipfragStatus('sip/2.0 486 Busy Here\n'), 486);
    assert.equal(parseSipfragStatus('SIP/2.0 200 OK\r\nContact: <sip:b@h>\r\n\r\n'), 200, 'with headers');
    assert.equal(parseSipfragStatus(sipfrag(487, 'Request Terminated')), 487);
  });

  test('returns null for anything that is not a status line', () => {
    assert.equal(parseSipfragStatus(''), null);
    assert.equal(parseSipfragStatus('INVITE sip:b@h SIP/2.0\r\n'), null);
    assert.equal(parseSipfragStatus('SIP/2.0 2000 OK\r\n'), null);
    assert.equal(parseSipfragStatus('SIP/2.0 099 Odd\r\n'), null);
    assert.equal(parseSipfragStatus('SIP/3.0 200 OK\r\n'), null);
    assert.equal(parseSipfragStatus('HTTP/1.1 200 OK\r\n'), null);
  });
});

describe('referSubscriptionState', () => {
  test('is active with an expiry until the final response, then terminated (RFC 3515 §2.4.7)', () => {
    assert.equal(referSubscriptionState(false), 'active;expires=60');
    assert.equal(referSubscriptionState(false, 120), 'active;expires=120');
    assert.equal(referSubscriptionState(true), 'terminated;reason=noresource');
  });

  test('refuses a negative or fractional expiry', () => {
    assert.throws(() => referSubscriptionState(false, -1), RangeError);
    assert.throws(() => referSubscriptionState(false, 1.5), RangeError);
  });
});

describe('wantsNoReferSubscription', () => {
  function refer(extra: readonly string[]) {
    return mustParseRequest(
      sip([
        'REFER sip:1001@192.0.2.10 SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKr3f',
        'Max-Forwards: 70',
        'From: <sip:1002@pbx.example.com>;tag=a1',
        'To: <sip:1001@pbx.example.com>;tag=b2',
        'Call-ID: refer-1@192.0.2.20',
        'CSeq: 3 REFER',
        'Contact: <sip:1002@192.0.2.20>',
        'Refer-To: <sip:1003@pbx.example.com>',
        ...extra,
        'Content-Length: 0',
      ]),
    );
  }

  test('is true for Refer-Sub: false in any case, with extension parameters', () => {
    assert.equal(wantsNoReferSubscription(refer(['Refer-Sub: false', 'Supported: norefersub'])), true);
    assert.equal(wantsNoReferSubscription(refer(['refer-sub: FALSE ;x=1'])), true);
  });

  test('is false for Refer-Sub: true, for none, and for a value it does not know', () => {
    assert.equal(wantsNoReferSubscription(refer(['Refer-Sub: true'])), false);
    assert.equal(wantsNoReferSubscription(refer([])), false);
    assert.equal(wantsNoReferSubscription(refer(['Refer-Sub: no'])), false);
  });
});
