/**
 * Torture cases in the spirit of RFC 4475 (SIP Torture Test Messages). The messages are
 * our own; each test names the RFC 4475 idea it exercises.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mustFail, mustParse, mustParseRequest } from './fixtures.test.js';
import { parseMessage } from './parse.js';

/** Builds a message from lines joined with CRLF; `%LEN%` is replaced by the body length. */
function msg(lines: readonly string[], body = ''): Buffer {
  const head = lines.join('\r\n').replace('%LEN%', String(Buffer.byteLength(body)));
  return Buffer.from(`${head}\r\n\r\n${body}`);
}

const COMMON = [
  'Via: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKtt1',
  'From: <sip:caller@example.org>;tag=t1',
  'To: <sip:callee@example.net>',
  'Call-ID: torture-1@192.0.2.5',
  'Max-Forwards: 70',
];

function request(startLine: string, cseq: string, extra: readonly string[] = []): Buffer {
  return msg([startLine, ...COMMON, `CSeq: ${cseq}`, ...extra, 'Content-Length: 0']);
}

describe('RFC 4475 ideas: valid messages that must parse', () => {
  test('a tortuous INVITE: odd whitespace, folding, case, compact forms, escapes', () => {
    const body =
      'v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n';
    const m = mustParseRequest(
      msg(
        [
          'INVITE sip:agent.7%40queue@cc.example.net;unknownflag;Transport=UdP SIP/2.0',
          'TO :',
          ' sip:agent.7%40queue@cc.example.net ;   tag    = 9aB3',
          'from   : "Caller \\"Zhang\\" \\\\ here"',
          '  <sip:caller@example.org>',
          '  ;',
          '  tag = 42xq',
          'MaX-fOrWaRdS: 0068',
          'Call-ID: torture.call-id.1@192.0.2.2',
          'Content-Length   : %LEN%',
          'cseq: 0009',
          '  INVITE',
          'Via  : SIP  /   2.0',
          ' /UDP',
          '    192.0.2.2;rport;branch=z9hG4bKtorture1',
          's :',
          'NewFangledHeader:   newfangled value',
          ' continued newfangled value',
          'UnknownHeaderWithUnusualValue: ;;,,;;,;',
          'Content-Type: application/sdp',
          'Route:',
          ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
          'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
          '  branch  =   z9hG4bKtorture2 ; received=192.0.2.1',
          'm:"Quoted string \\"\\"" <sip:caller@192.0.2.3> ; newparam =',
          '      newvalue ;',
          '  secondparam ; q = 0.33',
        ],
        body,
      ),
    );
    assert.equal(m.uri.user, 'agent.7@queue');
    assert.deepEqual(m.uri.params, { unknownflag: null, transport: 'UdP' });
    assert.equal(m.to.params.tag, '9aB3');
    assert.equal(m.from.displayName, 'Caller "Zhang" \\ here');
    assert.equal(m.from.params.tag, '42xq');
    assert.equal(m.maxForwards, 68);
    assert.deepEqual(m.cseq, { seq: 9, method: 'INVITE' });
    assert.deepEqual(
      m.vias.map((v) => [v.transport, v.host, v.params.branch]),
      [
        ['UDP', '192.0.2.2', 'z9hG4bKtorture1'],
        ['TCP', 'spindle.example.com', 'z9hG4bKtorture2'],
      ],
    );
    assert.equal(m.contacts[0]?.displayName, 'Quoted string ""');
    assert.deepEqual(m.contacts[0]?.params, { newparam: 'newvalue', secondparam: null, q: '0.33' });
    assert.equal(m.routes[0]?.uri.params['unknown-no-value'], null);
    assert.deepEqual(
      m.headers.map((h) => [h.name, h.value]),
      [
        ['Subject', ''],
        ['NewFangledHeader', 'newfangled value continued newfangled value'],
        ['UnknownHeaderWithUnusualValue', ';;,,;;,;'],
      ],
    );
    assert.equal(m.body.toString(), body);
  });

  test('escaped characters in the Request-URI user decode to what they stand for', () => {
    const m = mustParseRequest(
      request('OPTIONS sip:sips%3Auser%40example.com@example.net SIP/2.0', '1 OPTIONS'),
    );
    assert.equal(m.uri.user, 'sips:user@example.com');
    assert.equal(m.uri.host, 'example.net');
    const a = mustParseRequest(request('OPTIONS sip:%61lice@example.net SIP/2.0', '1 OPTIONS'));
    assert.equal(a.uri.user, 'alice');
  });

  test('an escaped NUL in the user part is data, not the end of a string', () => {
    const m = mustParseRequest(
      request('REGISTER sip:example.com SIP/2.0', '1 REGISTER', ['Contact: <sip:null-%00-null@192.0.2.5>']),
    );
    assert.equal(m.contacts[0]?.uri.user, 'null-\u0000-null');
  });

  test('a % in a method is part of the token, not an escape', () => {
    const m = mustParseRequest(request('RE%47IST%45R sip:example.com SIP/2.0', '1 RE%47IST%45R'));
    assert.equal(m.method, 'RE%47IST%45R');
  });

  test('semicolon-separated parameters in the URI user part stay in the user', () => {
    const m = mustParseRequest(
      request(
        'INVITE sip:+86-10-5555;phone-context=pbx%40example.com@gw.example.net;user=phone SIP/2.0',
        '1 INVITE',
      ),
    );
    assert.equal(m.uri.user, '+86-10-5555;phone-context=pbx@example.com');
    assert.deepEqual(m.uri.params, { user: 'phone' });
  });

  test('unknown methods, header names with unusual token characters, unknown transports', () => {
    const m = mustParseRequest(
      msg([
        'NEWMETHOD sip:user@example.com SIP/2.0',
        'Via: SIP/2.0/XYZ-TRANSPORT example.com:8080;branch=z9hG4bKunk',
        'From: <sip:a@example.org>;tag=1',
        'To: <sip:user@example.com>',
        'Call-ID: unknown.method@example.org',
        'CSeq: 77 NEWMETHOD',
        "Extension-!%*_+'~`: yes",
        'Content-Length: 0',
      ]),
    );
    assert.equal(m.method, 'NEWMETHOD');
    assert.equal(m.vias[0]?.transport, 'XYZ-TRANSPORT');
    assert.equal(m.headers[0]?.name, "Extension-!%*_+'~`");
  });

  test('IPv6 references in Request-URI, Via and Contact', () => {
    const m = mustParseRequest(
      msg([
        'REGISTER sip:[2001:db8::10]:5070 SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKv6',
        'From: <sip:user@[2001:db8::10]>;tag=1',
        'To: <sip:user@[2001:db8::10]>',
        'Call-ID: v6@2001:db8::9:1',
        'CSeq: 1 REGISTER',
        'Contact: "v6" <sip:user@[::ffff:192.0.2.1]:5060>',
        'Content-Length: 0',
      ]),
    );
    assert.equal(m.uri.host, '2001:db8::10');
    assert.equal(m.uri.port, 5070);
    assert.equal(m.vias[0]?.host, '2001:db8::9:1');
    assert.equal(m.contacts[0]?.uri.host, '::ffff:192.0.2.1');
  });

  test('long values: a 4 kB header, a 1 kB tag and twenty Vias', () => {
    const vias = Array.from(
      { length: 20 },
      (_, i) => `Via: SIP/2.0/TCP p${i}.example.com;branch=z9hG4bK${i}`,
    );
    const m = mustParse(
      msg([
        'INVITE sip:user@example.com SIP/2.0',
        ...vias,
        `From: <sip:a@example.org>;tag=${'t'.repeat(1024)}`,
        'To: <sip:user@example.com>',
        'Call-ID: long@example.org',
        'CSeq: 1 INVITE',
        `X-Long: ${'x'.repeat(4096)}`,
        'Content-Length: 0',
      ]),
    );
    assert.equal(m.vias.length, 20);
    assert.equal(m.from.params.tag?.length, 1024);
  });

  test('odd but legal status lines: UTF-8 reason, empty reason', () => {
    const tail = [
      'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
      'From: <sip:a@b>;tag=1',
      'To: <sip:c@d>;tag=2',
      'Call-ID: r',
      'CSeq: 1 INVITE',
      'l: 0',
    ];
    const utf = mustParse(msg(['SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять', ...tail]));
    assert.equal(utf.kind === 'response' && utf.reason, '= 2**3 * 5**2 но сто девяносто девять');
    const empty = mustParse(msg(['SIP/2.0 100 ', ...tail]));
    assert.equal(empty.kind === 'response' && empty.reason, '');
  });

  test('the SIP version token is case-insensitive', () => {
    mustParse(request('OPTIONS sip:user@example.com sip/2.0', '1 OPTIONS'));
  });
});

describe('RFC 4475 ideas: invalid messages, each rejected with a reason', () => {
  const cases: ReadonlyArray<readonly [string, Buffer, string]> = [
    [
      'unknown scheme in Request-URI',
      request('OPTIONS nobodyknows:opaque SIP/2.0', '1 OPTIONS'),
      'Unsupported URI scheme in Request-URI',
    ],
    [
      'Request-URI enclosed in <>',
      request('INVITE <sip:user@example.com> SIP/2.0', '1 INVITE'),
      'Bad URI in Request-URI',
    ],
    [
      'LWS inside the Request-URI',
      request('INVITE sip:user@example.com; lr SIP/2.0', '1 INVITE'),
      'Bad request line',
    ],
    [
      'several SP between request line elements',
      request('INVITE  sip:user@example.com  SIP/2.0', '1 INVITE'),
      'Bad request line',
    ],
    [
      'SP at the end of the request line',
      request('INVITE sip:user@example.com SIP/2.0 ', '1 INVITE'),
      'Bad request line',
    ],
    [
      'unknown protocol version',
      request('INVITE sip:user@example.com SIP/7.0', '1 INVITE'),
      'Unsupported SIP version',
    ],
    [
      'unbracketed IPv6 host',
      request('OPTIONS sip:user@2001:db8::10 SIP/2.0', '1 OPTIONS'),
      'Bad URI port in Request-URI',
    ],
    [
      'CSeq method differs from the request',
      request('INVITE sip:user@example.com SIP/2.0', '1 ACK'),
      'CSeq method does not match request method',
    ],
    [
      'unknown method with a different CSeq method',
      request('NEWMETHOD sip:user@example.com SIP/2.0', '1 INVITE'),
      'CSeq method does not match request method',
    ],
    [
      'CSeq number beyond 32 bits',
      request('INVITE sip:u@example.com SIP/2.0', '36893488147419103232 INVITE'),
      'Bad CSeq header',
    ],
    [
      'two CSeqs on one line',
      request('INVITE sip:u@example.com SIP/2.0', '1 INVITE, 2 INVITE'),
      'Bad CSeq header',
    ],
  ];
  for (const [idea, buf, reason] of cases) {
    test(`${idea} → "${reason}"`, () => assert.equal(mustFail(buf), reason));
  }

  function withHeader(line: string): Buffer {
    return msg(
      [
        'INVITE sip:u@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKx',
        'CSeq: 1 INVITE',
        'Call-ID: c@x',
        'From: <sip:a@x>;tag=1',
        'To: <sip:u@example.com>',
        line,
        'Content-Length: 0',
      ].filter((l) => l !== ''),
    );
  }

  test('address headers that break the name-addr rules', () => {
    const broken = (from: string) =>
      mustFail(
        msg([
          'OPTIONS sip:u@x SIP/2.0',
          'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
          `From: ${from}`,
          'To: <sip:u@x>',
          'Call-ID: c',
          'CSeq: 1 OPTIONS',
        ]),
      );
    assert.equal(broken('"Unterminated <sip:a@x>;tag=1'), 'Bad From header');
    assert.equal(broken('"Bob" sip:bob@example.com;tag=1'), 'Bad From header');
    assert.equal(broken('"Watson, Thomas" < sip:t.watson@example.org >;tag=1'), 'Bad From header');
    assert.equal(broken('Bob\\ Smith <sip:bob@example.com>;tag=1'), 'Bad From header');
    assert.equal(broken('<sip:a@x>;tag=1, <sip:b@y>;tag=2'), 'Bad From header');
    assert.equal(broken('<http://example.com/>;tag=1'), 'Bad From header');
  });

  test('overlarge and malformed scalar values', () => {
    assert.equal(mustFail(withHeader('Max-Forwards: 300')), 'Bad Max-Forwards header');
    assert.equal(mustFail(withHeader('Max-Forwards: 70, 71')), 'Bad Max-Forwards header');
    assert.equal(mustFail(withHeader('l: 18446744073709551618')), 'Bad Content-Length header');
    const huge = msg([
      'SIP/2.0 4294967301 better not break',
      'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
      'From: <sip:a@b>;tag=1',
      'To: <sip:c@d>',
      'Call-ID: x',
      'CSeq: 1 INVITE',
    ]);
    assert.equal(mustFail(huge), 'Bad status line');
  });

  test('Content-Length that lies about the body', () => {
    const base = [
      'OPTIONS sip:u@x SIP/2.0',
      'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
      'From: <sip:a@x>;tag=1',
      'To: <sip:u@x>',
      'Call-ID: c',
      'CSeq: 1 OPTIONS',
    ];
    assert.equal(mustFail(msg([...base, 'Content-Length: 9999'], 'short body')), 'Content-Length mismatch');
    assert.equal(mustFail(msg([...base, 'Content-Length: -9'], 'short body')), 'Bad Content-Length header');
    assert.equal(
      mustFail(msg([...base, 'Content-Length: 18446744073709551618'], 'x')),
      'Bad Content-Length header',
    );
  });

  test('several values in single-valued headers', () => {
    assert.equal(mustFail(withHeader('Call-ID: second@x')), 'Duplicate Call-ID header');
    const twoInOne = msg([
      'OPTIONS sip:u@x SIP/2.0',
      'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
      'From: <sip:a@x>;tag=1',
      'To: <sip:u@x>',
      'Call-ID: a@x, b@x',
      'CSeq: 1 OPTIONS',
    ]);
    assert.equal(mustFail(twoInOne), 'Bad Call-ID header');
  });

  test('a request without any Via', () => {
    const r = parseMessage(
      msg([
        'OPTIONS sip:u@x SIP/2.0',
        'From: <sip:a@x>;tag=1',
        'To: <sip:u@x>',
        'Call-ID: c',
        'CSeq: 1 OPTIONS',
      ]),
    );
    assert.equal(!r.ok && r.reason, 'Missing Via header');
    assert.equal(!r.ok && r.partial?.vias, undefined);
  });
});
