import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVITE_LINES, SDP, mustFail, mustParseRequest, sip } from './fixtures.test.js';
import { parseMessage } from './parse.js';

/** INVITE_LINES with the header starting `name:` replaced. */
function inviteWith(name: string, line: string): Buffer {
  return sip([...INVITE_LINES.filter((l) => !l.startsWith(`${name}:`)), line], SDP);
}

describe('From and To tags (RFC 3261 §25.1: tag-param = "tag" EQUAL token)', () => {
  test('rejects a To or From tag without a value, so no answer echoes it as a tag', () => {
    assert.equal(mustFail(inviteWith('To', 'To: <sip:bob@example.com>;tag')), 'Bad To header');
    assert.equal(mustFail(inviteWith('From', 'From: <sip:alice@example.com>;tag')), 'Bad From header');
    assert.equal(mustFail(inviteWith('To', 'To: sip:bob@example.com;tag=')), 'Bad To header');
  });

  test('rejects a tag that is not a token', () => {
    assert.equal(mustFail(inviteWith('To', 'To: <sip:bob@example.com>;tag="quoted"')), 'Bad To header');
  });

  test('salvages the other headers of a request with a bad To tag, but not the To', () => {
    const result = parseMessage(inviteWith('To', 'To: <sip:bob@example.com>;tag'));
    assert.equal(result.ok, false);
    assert.equal(result.ok ? undefined : result.partial?.to, undefined);
    assert.ok(result.ok ? undefined : result.partial?.from);
  });

  test('accepts token tags, and an absent tag', () => {
    const tagged = mustParseRequest(inviteWith('To', 'To: <sip:bob@example.com>;tag=a6c8-5f.!%*_+`~'));
    assert.equal(tagged.to.params.tag, 'a6c8-5f.!%*_+`~');
    assert.equal(mustParseRequest(inviteWith('To', 'To: <sip:bob@example.com>')).to.params.tag, undefined);
  });
});
