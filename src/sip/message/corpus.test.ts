/**
 * A generated corpus of malformed and hostile inputs. Every one must come back as
 * {ok:false} with a reason — found by validation, not by the last-resort exception guard —
 * and the stream framer must treat each the same whether fed at once or byte by byte.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INVITE, INVITE_LINES, OK_200, REGISTER, SDP, seededRandom, sip } from './fixtures.test.js';
import { StreamFramer, type FramerOutput } from './framer.js';
import { parseMessage } from './parse.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './types.js';

interface Case {
  readonly name: string;
  readonly bytes: Buffer;
  readonly limits?: ParseLimits;
}

function replaceHeader(prefix: string, lines: readonly string[]): Buffer {
  const kept = INVITE_LINES.filter((l) => !l.startsWith(prefix));
  return sip([...kept, ...lines], SDP);
}

function truncations(): Case[] {
  const out: Case[] = [];
  for (const [label, full] of [
    ['INVITE', INVITE],
    ['200', OK_200],
    ['REGISTER', REGISTER],
  ] as const) {
    for (let i = 0; i < full.length; i++)
      out.push({ name: `${label} cut at ${i}`, bytes: full.subarray(0, i) });
  }
  return out;
}

function badContentLengths(): Case[] {
  return [
    '',
    '-1',
    '1e3',
    '0x10',
    '9999',
    `${SDP.length + 1}`,
    '12 34',
    '１２',
    '99999999999999999999',
    '+5',
  ].map((v) => ({
    name: `Content-Length "${v}"`,
    bytes: replaceHeader('Content-Length', [`Content-Length: ${v}`]),
  }));
}

const BAD_URIS = [
  'http://example.com/',
  'foo:bar',
  'sip:',
  'sip:@host',
  'sip:user@',
  'sip:user@host:port',
  'sip:user@host:70000',
  'sip:user@[::1',
  'sip:user@[zz::1]',
  'sip:us%er@host',
  'sip:user@host;;x',
  'sip:user@host;x;x',
  'sip:user@host?h',
  'sip:user@ho st',
  'tel:',
  'tel:xyz',
  'sip:%C3%28@host',
  'sip:user@host>',
];

function invalidUris(): Case[] {
  const out: Case[] = [];
  for (const uri of BAD_URIS) {
    const rest = INVITE.toString('latin1').slice(INVITE.indexOf('\r\n'));
    out.push({ name: `Request-URI ${uri}`, bytes: Buffer.from(`INVITE ${uri} SIP/2.0${rest}`, 'latin1') });
    out.push({ name: `From ${uri}`, bytes: replaceHeader('From', [`From: <${uri}>;tag=1`]) });
    out.push({ name: `To ${uri}`, bytes: replaceHeader('To', [`To: <${uri}>`]) });
    out.push({ name: `Contact ${uri}`, bytes: replaceHeader('Contact', [`Contact: <${uri}>`]) });
  }
  return out;
}

function mandatoryHeaderDamage(): Case[] {
  const out: Case[] = [];
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    const line = INVITE_LINES.find((l) => l.startsWith(`${name}:`)) ?? '';
    out.push({ name: `missing ${name}`, bytes: replaceHeader(`${name}:`, []) });
    out.push({ name: `empty ${name}`, bytes: replaceHeader(`${name}:`, [`${name}:`]) });
    if (name !== 'Via')
      out.push({ name: `duplicate ${name}`, bytes: replaceHeader(`${name}:`, [line, line]) });
  }
  for (const line of ['Max-Forwards: 70', 'Content-Length: 0', 'Content-Type: text/plain']) {
    out.push({ name: `duplicate ${line}`, bytes: sip([...INVITE_LINES, line], SDP) });
  }
  return out;
}

function hugeInputs(): Case[] {
  const viaLines = Array.from(
    { length: 1000 },
    (_, i) => `Via: SIP/2.0/UDP h${i}.example.com;branch=z9hG4bK${i}`,
  );
  const viaList = `Via: ${Array.from({ length: 1000 }, (_, i) => `SIP/2.0/UDP h${i};branch=z9hG4bK${i}`).join(', ')}`;
  const roomy: ParseLimits = {
    maxMessageBytes: 1 << 20,
    maxHeaders: 5000,
    maxHeaderLineBytes: 1 << 20,
    maxVias: 32,
  };
  const longLine = `X-Long: ${'a'.repeat(100_000)}`;
  return [
    { name: '1000 Via lines', bytes: replaceHeader('Via:', viaLines) },
    { name: '1000 Via lines, roomy limits', bytes: replaceHeader('Via:', viaLines), limits: roomy },
    { name: '1000 Vias on one line', bytes: replaceHeader('Via:', [viaList]) },
    { name: '1000 Vias on one line, roomy limits', bytes: replaceHeader('Via:', [viaList]), limits: roomy },
    { name: '100 kB header line', bytes: sip([...INVITE_LINES, longLine], SDP) },
    {
      name: '100 kB header line, roomy size',
      bytes: sip([...INVITE_LINES, longLine], SDP),
      limits: { ...roomy, maxHeaderLineBytes: 8192 },
    },
    {
      name: '100 kB of folding',
      bytes: sip([...INVITE_LINES, 'X-F: a', ...Array<string>(20_000).fill(' b')], SDP),
      limits: { ...roomy, maxHeaderLineBytes: 8192 },
    },
    {
      name: '5000 headers',
      bytes: sip([...INVITE_LINES, ...Array.from({ length: 5000 }, (_, i) => `X-${i}: v`)], SDP),
    },
    { name: 'a million quotes', bytes: replaceHeader('From', [`From: ${'"'.repeat(60_000)}`]) },
    { name: 'deep angle brackets', bytes: replaceHeader('Contact', [`Contact: ${'<'.repeat(30_000)}`]) },
    { name: 'many params', bytes: replaceHeader('To', [`To: <sip:a@b>${';p'.repeat(3000)};p`]) },
  ];
}

function randomBinary(): Case[] {
  const rnd = seededRandom(20240611);
  const out: Case[] = [];
  for (let i = 0; i < 300; i++) {
    const length = i < 200 ? i : Math.floor(rnd() * 70_000);
    const bytes = Buffer.alloc(length);
    for (let k = 0; k < length; k++) bytes[k] = Math.floor(rnd() * 256);
    out.push({ name: `random ${length} bytes #${i}`, bytes });
  }
  // Random bytes after a plausible start, so the parser gets past the first line.
  for (let i = 0; i < 100; i++) {
    const tail = Buffer.alloc(1 + Math.floor(rnd() * 2000));
    for (let k = 0; k < tail.length; k++) tail[k] = Math.floor(rnd() * 256);
    out.push({
      name: `start line + random #${i}`,
      bytes: Buffer.concat([Buffer.from('INVITE sip:a@b SIP/2.0\r\nVia: '), tail, Buffer.from('\r\n\r\n')]),
    });
  }
  return out;
}

function oddities(): Case[] {
  const cases: Array<[string, string]> = [
    ['status without code', 'SIP/2.0 OK\r\n\r\n'],
    ['start line only', 'OPTIONS sip:a@b SIP/2.0\r\n\r\n'],
    ['header without colon', 'OPTIONS sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n'],
    ['NUL in start line', 'OPTIONS sip:a@b\u0000 SIP/2.0\r\n\r\n'],
    ['CR-only line endings', INVITE.toString().replaceAll('\r\n', '\r')],
    ['HTTP request', 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'],
    ['Contact wildcard mixed with address', INVITE.toString().replace('Contact: <', 'Contact: *, <')],
    ['negative status', 'SIP/2.0 -200 OK\r\n\r\n'],
    [
      'two Contact wildcards',
      INVITE.toString().replace(
        'Contact: <sip:alice@192.0.2.10:5060;transport=udp>',
        'Contact: *\r\nContact: *',
      ),
    ],
  ];
  return cases.map(([name, text]) => ({ name, bytes: Buffer.from(text, 'latin1') }));
}

const CORPUS: readonly Case[] = [
  ...truncations(),
  ...badContentLengths(),
  ...invalidUris(),
  ...mandatoryHeaderDamage(),
  ...hugeInputs(),
  ...randomBinary(),
  ...oddities(),
];

function summarize(out: readonly FramerOutput[]): string[] {
  return out.map((o) =>
    o.kind === 'message'
      ? `message:${o.bytes.toString('base64')}`
      : o.kind === 'error'
        ? `error:${o.reason}`
        : 'ping',
  );
}

describe('hostile input corpus', () => {
  test('has well over 200 cases', () => {
    assert.ok(CORPUS.length > 200, `${CORPUS.length}`);
  });

  test('every case fails to parse with a reason, without throwing', () => {
    for (const c of CORPUS) {
      const result = parseMessage(c.bytes, c.limits ?? DEFAULT_PARSE_LIMITS);
      assert.equal(result.ok, false, c.name);
      if (result.ok) continue;
      assert.ok(result.reason.length > 0, c.name);
      assert.notEqual(
        result.reason,
        'Unparseable message',
        `${c.name}: caught by the guard, not by validation`,
      );
    }
  });

  test('the framer gives the same outputs fed at once and one byte at a time', () => {
    for (const c of CORPUS) {
      if (c.bytes.length > 20_000) continue; // the large ones are covered below in chunks
      const whole = summarize(new StreamFramer().push(c.bytes));
      const framer = new StreamFramer();
      const drip: FramerOutput[] = [];
      for (let i = 0; i < c.bytes.length; i++) drip.push(...framer.push(c.bytes.subarray(i, i + 1)));
      assert.deepEqual(summarize(drip), whole, c.name);
    }
  });

  test('the framer gives the same outputs for large cases fed in 1 kB chunks', () => {
    for (const c of CORPUS) {
      if (c.bytes.length <= 20_000) continue;
      const whole = summarize(new StreamFramer({ maxMessageBytes: 1 << 20 }).push(c.bytes));
      const framer = new StreamFramer({ maxMessageBytes: 1 << 20 });
      const chunked: FramerOutput[] = [];
      for (let i = 0; i < c.bytes.length; i += 1024)
        chunked.push(...framer.push(c.bytes.subarray(i, i + 1024)));
      assert.deepEqual(summarize(chunked), whole, c.name);
    }
  });
});
