import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingError } from './errors.js';
import {
  classifyNumber,
  permits,
  routeOutbound,
  type OutboundResult,
  type OutboundRoute,
} from './outbound.js';

/** A PBX where callers dial 9 for an outside line, and 8 for a carrier's long-distance code. */
const ROUTES: readonly OutboundRoute[] = [
  { name: 'outside', patterns: ['_9X.'], strip: 1, trunks: ['telecom'] },
  { name: 'mobile', patterns: ['_91[3-9]XXXXXXXXX'], strip: 1, trunks: ['mobile-gw', 'telecom'] },
  { name: 'international', patterns: ['_900X.'], strip: 1, trunks: ['intl-group'] },
  { name: 'police', patterns: ['9110'], strip: 1, trunks: ['telecom'] },
  {
    name: 'ip-long-distance',
    prefix: '8',
    strip: 1,
    prepend: '17909',
    trunks: ['unicom'],
    permission: 'national',
  },
];

function ok(result: OutboundResult) {
  assert.equal(result.ok, true, result.ok ? '' : result.reason);
  return result as Extract<OutboundResult, { ok: true }>;
}

function denied(result: OutboundResult) {
  assert.equal(result.ok, false, 'expected a refusal');
  return result as Extract<OutboundResult, { ok: false }>;
}

describe('classifyNumber', () => {
  const classes = (numbers: string[], opts = {}) =>
    Object.fromEntries(
      numbers.map((n) => {
        const c = classifyNumber(n, opts);
        return [n, `${c.category}/${c.permission}`];
      }),
    );

  it('places Chinese numbers in the permission class they need', () => {
    assert.deepEqual(
      classes(
        [
          '110',
          '119',
          '120',
          '122',
          '13800138000',
          '013800138000',
          '02083334444',
          '01088886666',
          '0014155552671',
          '88886666',
          '4008208820',
          '8008208820',
          '95588',
          '96110',
          'abc',
        ],
        { areaCode: '010' },
      ),
      {
        '110': 'emergency/internal',
        '119': 'emergency/internal',
        '120': 'emergency/internal',
        '122': 'emergency/internal',
        '13800138000': 'mobile/national',
        '013800138000': 'mobile/national',
        '02083334444': 'fixed/national',
        '01088886666': 'fixed-local/local',
        '0014155552671': 'international/international',
        '88886666': 'subscriber/local',
        '4008208820': 'toll-free/national',
        '8008208820': 'toll-free/national',
        '95588': 'service/local',
        '96110': 'service/local',
        abc: 'unknown/international',
      },
    );
  });

  it('takes our area code written with or without its 0', () => {
    assert.equal(classifyNumber('02083334444', { areaCode: '20' }).category, 'fixed-local');
    assert.equal(classifyNumber('02083334444', { areaCode: '020' }).category, 'fixed-local');
    assert.equal(classifyNumber('02083334444').category, 'fixed');
  });

  it('uses the configured emergency list (112 and 999 when added)', () => {
    assert.equal(classifyNumber('112').category, 'service');
    const list = ['110', '119', '120', '122', '112', '999'];
    assert.equal(classifyNumber('112', { emergencyNumbers: list }).category, 'emergency');
    assert.equal(classifyNumber('999', { emergencyNumbers: list }).category, 'emergency');
  });

  it('asks the predicate whether a number is an extension', () => {
    const isExtension = (n: string) => n === '8001';
    assert.deepEqual(classifyNumber('8001', { isExtension }), {
      category: 'extension',
      permission: 'internal',
      number: '8001',
    });
  });

  it('reads +86 forms the same as national ones', () => {
    assert.equal(classifyNumber('+86 10 8888 6666', { areaCode: '010' }).category, 'fixed-local');
    assert.equal(classifyNumber('+1 415 555 2671').permission, 'international');
  });
});

describe('permits', () => {
  it('orders internal < local < national < international', () => {
    assert.equal(permits('national', 'local'), true);
    assert.equal(permits('national', 'national'), true);
    assert.equal(permits('national', 'international'), false);
    assert.equal(permits('internal', 'local'), false);
  });
});

describe('routeOutbound', () => {
  it('strips the outside-line digit and returns the trunks in order', () => {
    const r = ok(routeOutbound('913800138000', 'national', ROUTES));
    assert.equal(r.route.name, 'mobile');
    assert.equal(r.dial, '13800138000');
    assert.deepEqual(r.trunks, ['mobile-gw', 'telecom']);
    assert.equal(r.permission, 'national');
  });

  it('prepends after stripping', () => {
    const r = ok(routeOutbound('802083334444', 'national', ROUTES));
    assert.equal(r.route.name, 'ip-long-distance');
    assert.equal(r.dial, '1790902083334444');
    assert.deepEqual(r.trunks, ['unicom']);
  });

  it('chooses the most specific route when several match', () => {
    const name = (n: string) => ok(routeOutbound(n, 'international', ROUTES)).route.name;
    assert.deepEqual(['9110', '913800138000', '90014155552671', '988886666', '902083334444'].map(name), [
      'police',
      'mobile',
      'international',
      'outside',
      'outside',
    ]);
  });

  it('refuses a number beyond the caller class, naming both classes', () => {
    const r = denied(routeOutbound('90014155552671', 'national', ROUTES));
    assert.equal(r.code, 'NOT_PERMITTED');
    assert.equal(r.permission, 'international');
    assert.equal(r.route?.name, 'international');
    assert.equal(
      r.reason,
      "0014155552671 is international and needs international; the caller's class is national",
    );
  });

  it('lets a local caller dial our own area but not another', () => {
    const opts = { areaCode: '010' };
    assert.equal(ok(routeOutbound('901088886666', 'local', ROUTES, opts)).permission, 'local');
    assert.equal(ok(routeOutbound('988886666', 'local', ROUTES, opts)).category, 'subscriber');
    assert.equal(denied(routeOutbound('902083334444', 'local', ROUTES, opts)).code, 'NOT_PERMITTED');
    assert.equal(denied(routeOutbound('913800138000', 'local', ROUTES, opts)).code, 'NOT_PERMITTED');
  });

  it('applies a route’s own permission instead of classifying', () => {
    const r = denied(routeOutbound('8095588', 'local', ROUTES));
    assert.equal(r.code, 'NOT_PERMITTED');
    assert.equal(r.reason, 'route "ip-long-distance" needs national; the caller\'s class is local');
  });

  it('always allows emergency numbers, even to an internal-only caller', () => {
    const police = ok(routeOutbound('9110', 'internal', ROUTES));
    assert.deepEqual([police.dial, police.emergency, police.route.name], ['110', true, 'police']);
    const fire = ok(routeOutbound('9119', 'internal', ROUTES));
    assert.deepEqual([fire.dial, fire.emergency, fire.route.name], ['119', true, 'outside']);
    assert.equal(denied(routeOutbound('9114', 'internal', ROUTES)).code, 'NOT_PERMITTED');
  });

  it('allows configured emergency numbers even on a route that needs a higher class', () => {
    const routes: OutboundRoute[] = [
      { name: 'all', patterns: ['_X.'], trunks: ['t'], permission: 'international' },
    ];
    const opts = { emergencyNumbers: ['110', '112', '999'] };
    assert.equal(ok(routeOutbound('999', 'internal', routes, opts)).emergency, true);
    assert.equal(denied(routeOutbound('120', 'internal', routes, opts)).code, 'NOT_PERMITTED');
  });

  it('says NO_ROUTE when nothing matches or strip leaves nothing', () => {
    const none = denied(routeOutbound('1001', 'international', ROUTES));
    assert.deepEqual([none.code, none.reason], ['NO_ROUTE', 'no outbound route matches 1001']);
    const routes: OutboundRoute[] = [{ name: 'short', patterns: ['_9X'], strip: 5, trunks: ['t'] }];
    assert.equal(denied(routeOutbound('91', 'international', routes)).code, 'NO_ROUTE');
  });

  it('refuses a route table with a bad pattern with a coded error naming the route', () => {
    const routes: OutboundRoute[] = [{ name: 'broken', patterns: ['_9[1'], trunks: ['t'] }];
    assert.throws(
      () => routeOutbound('91', 'international', routes),
      (err: unknown) =>
        err instanceof RoutingError &&
        err.code === 'ROUTING_BAD_PATTERN' &&
        err.message.includes('outbound route "broken"'),
    );
  });
});
