import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVITE, OK_200, REGISTER, seededRandom, sip } from './fixtures.test.js';
import { StreamFramer, type FramerOutput } from './framer.js';

function feed(framer: StreamFramer, chunks: readonly Buffer[]): FramerOutput[] {
  return chunks.flatMap((c) => framer.push(c));
}

function bytewise(data: Buffer): Buffer[] {
  return Array.from(data, (b) => Buffer.from([b]));
}

function describeOutputs(out: readonly FramerOutput[]): string[] {
  return out.map((o) =>
    o.kind === 'message'
      ? `message:${o.bytes.toString('latin1')}`
      : o.kind === 'error'
        ? `error:${o.reason}`
        : 'ping',
  );
}

const PING = Buffer.from('\r\n\r\n');
const STREAM = Buffer.concat([INVITE, PING, OK_200, Buffer.from('\r\n'), REGISTER, PING, PING, INVITE]);

describe('StreamFramer', () => {
  test('cuts a stream into messages by Content-Length and reports CRLFCRLF pings', () => {
    const out = new StreamFramer().push(STREAM);
    assert.deepEqual(
      out.map((o) => o.kind),
      ['message', 'ping', 'message', 'message', 'ping', 'ping', 'message'],
    );
    const messages = out.flatMap((o) => (o.kind === 'message' ? [o.bytes] : []));
    assert.ok(messages[0]?.equals(INVITE));
    assert.ok(messages[1]?.equals(OK_200));
    assert.ok(messages[2]?.equals(REGISTER));
  });

  test('yields the same outputs fed one byte at a time as fed at once', () => {
    const whole = describeOutputs(new StreamFramer().push(STREAM));
    assert.deepEqual(describeOutputs(feed(new StreamFramer(), bytewise(STREAM))), whole);
  });

  test('yields the same outputs for random chunkings', () => {
    const whole = describeOutputs(new StreamFramer().push(STREAM));
    const rnd = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < STREAM.length;) {
        const n = 1 + Math.floor(rnd() * 300);
        chunks.push(STREAM.subarray(i, i + n));
        i += n;
      }
      assert.deepEqual(describeOutputs(feed(new StreamFramer(), chunks)), whole);
    }
  });

  test('accepts bare-LF header sections and a body that itself holds empty lines', () => {
    const body = 'line1\n\nline3\r\n\r\n';
    const lf = Buffer.from(
      `MESSAGE sip:a@b SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\nl: ${body.length}\n\n${body}`,
    );
    const out = feed(new StreamFramer(), bytewise(Buffer.concat([lf, lf])));
    assert.deepEqual(
      out.map((o) => o.kind === 'message' && o.bytes.equals(lf)),
      [true, true],
    );
  });

  test('returns messages that do not share memory with the chunks', () => {
    const chunk = Buffer.from(INVITE);
    const out = new StreamFramer().push(chunk);
    chunk.fill(0);
    assert.ok(out[0]?.kind === 'message' && out[0].bytes.equals(INVITE));
  });

  test('reports a missing Content-Length as an error, then stays silent', () => {
    const framer = new StreamFramer();
    const out = framer.push(sip(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1']));
    assert.deepEqual(out, [{ kind: 'error', reason: 'Missing Content-Length header' }]);
    assert.deepEqual(framer.push(INVITE), []);
  });

  test('reports duplicate or malformed Content-Length as errors', () => {
    const dup = new StreamFramer().push(sip(['OPTIONS sip:a@b SIP/2.0', 'Content-Length: 0', 'l: 0']));
    assert.deepEqual(dup, [{ kind: 'error', reason: 'Duplicate Content-Length header' }]);
    const bad = new StreamFramer().push(sip(['OPTIONS sip:a@b SIP/2.0', 'Content-Length: -1']));
    assert.deepEqual(bad, [{ kind: 'error', reason: 'Bad Content-Length header' }]);
  });

  test('accepts a Content-Length written with leading zeros and odd spacing', () => {
    const text = 'MESSAGE sip:a@b SIP/2.0\r\nContent-Length   :   0000000000005\r\n\r\nhello';
    const out = new StreamFramer().push(Buffer.from(text));
    assert.ok(out[0]?.kind === 'message' && out[0].bytes.toString() === text);
  });

  test('enforces the header section limit even before the section ends', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1000 });
    const out = feed(framer, [Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nX-Junk: '), Buffer.alloc(2000, 0x61)]);
    assert.deepEqual(out, [{ kind: 'error', reason: 'Header section too large' }]);
  });

  test('enforces the message size limit from Content-Length without waiting for the body', () => {
    const framer = new StreamFramer({ maxMessageBytes: 10_000 });
    const out = framer.push(sip(['INFO sip:a@b SIP/2.0', 'Content-Length: 50000']));
    assert.deepEqual(out, [{ kind: 'error', reason: 'Message too large' }]);
  });

  test('waits on partial pings and drops a lone CRLF pong', () => {
    const framer = new StreamFramer();
    assert.deepEqual(framer.push(Buffer.from('\r\n')), []);
    assert.deepEqual(framer.push(Buffer.from('\r')), []);
    assert.deepEqual(framer.push(Buffer.from('\n')), [{ kind: 'ping' }]);
    assert.deepEqual(
      framer.push(Buffer.concat([Buffer.from('\r\n'), INVITE])).map((o) => o.kind),
      ['message'],
    );
  });

  test('delivers a large message that drips in byte by byte, whole and once', () => {
    // The header-end search resumes where it stopped, so this is linear work; the
    // benchmark in bench/sip-parse.ts shows the cost.
    const big = sip(
      ['MESSAGE sip:a@b SIP/2.0', `X-Pad: ${'p'.repeat(20_000)}`, 'Content-Length: 30000'],
      'b'.repeat(30_000),
    );
    const out = feed(new StreamFramer({ maxMessageBytes: 65_535 }), bytewise(big));
    assert.equal(out.length, 1);
    assert.ok(out[0]?.kind === 'message' && out[0].bytes.equals(big));
  });
});
