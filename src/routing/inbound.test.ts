import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingError } from './errors.js';
import { chinaHolidayCalendar } from './holidays.js';
import { findInboundNumber, routeInbound, type InboundTable } from './inbound.js';
import type { CallerVerdict } from './lists.js';
import type { Schedule } from './schedule.js';
import type { Destination } from './types.js';

const cst = (wall: string) => Date.parse(`${wall}:00+08:00`);
const calendar = chinaHolidayCalendar();
const SCHEDULES: Readonly<Record<string, Schedule>> = { hotline: { hours: { daily: ['08:00-20:00'] } } };

const MENU: Destination = { type: 'ivr', flow: 'main-menu' };
const CLOSED: Destination = { type: 'announcement', prompts: [{ tts: '现在是非工作时间。' }] };
const HOLIDAY: Destination = { type: 'voicemail', mailbox: 'hotline' };
const SALES: Destination = { type: 'queue', queue: 'sales', priority: 1 };

const TABLE: InboundTable = {
  numbers: [
    { number: '96110', destination: MENU, schedule: 'hotline', closed: CLOSED, holiday: HOLIDAY },
    { number: '_0108888XXXX', destination: SALES },
    { number: '010-8888-0000', destination: { type: 'extension', number: '1001' } },
    { number: '02066660000', destination: MENU, schedule: 'hotline', closed: CLOSED },
  ],
  default: { type: 'hangup', cause: 404 },
};

const ALLOW: CallerVerdict = { action: 'allow' };
const route = (did: string, verdict: CallerVerdict = ALLOW, wall = '2026-03-03T10:00') =>
  routeInbound(did, verdict, SCHEDULES, calendar, cst(wall), TABLE);

describe('routeInbound: the caller verdict comes first', () => {
  it('hangs up on a refused caller with the verdict’s cause, whatever the hours', () => {
    const verdict: CallerVerdict = {
      action: 'reject',
      cause: 603,
      list: 'blacklist',
      matched: 'number 13900001111',
    };
    assert.deepEqual(route('96110', verdict, '2026-03-03T03:00'), {
      destination: { type: 'hangup', cause: 603 },
      reason: 'caller-rejected',
    });
  });

  it('plays the warning to a warned caller', () => {
    const prompts = [{ prompt: 'goodbye' }];
    const verdict: CallerVerdict = { action: 'warn', prompts, list: 'region', matched: 'regionRules[0]' };
    assert.deepEqual(route('96110', verdict), {
      destination: { type: 'announcement', prompts },
      reason: 'caller-warned',
    });
  });
});

describe('routeInbound: the DID table', () => {
  it('prefers an exact number to a pattern, comparing numbers in normalised form', () => {
    assert.deepEqual(route('+86 10 8888 0000').destination, { type: 'extension', number: '1001' });
    assert.deepEqual(route('01088880000').matched, '010-8888-0000');
    assert.deepEqual(route('+861088880001'), {
      destination: SALES,
      reason: 'no-schedule',
      matched: '_0108888XXXX',
    });
  });

  it('sends an unknown DID to the default', () => {
    assert.deepEqual(route('01099990000'), {
      destination: { type: 'hangup', cause: 404 },
      reason: 'default',
    });
    assert.equal(findInboundNumber('junk', TABLE), undefined);
  });
});

describe('routeInbound: schedules', () => {
  it('goes to the destination within hours, with the schedule state for the log', () => {
    const d = route('96110');
    assert.deepEqual(
      [d.destination, d.reason, d.schedule?.reason, d.schedule?.localTime.time],
      [MENU, 'open', 'hours', '10:00'],
    );
  });

  it('goes to closed outside hours', () => {
    const d = route('96110', ALLOW, '2026-03-03T20:00');
    assert.deepEqual([d.destination, d.reason], [CLOSED, 'closed']);
  });

  it('goes to holiday on a public holiday (2026-10-01), and to closed when there is no holiday destination', () => {
    const d = route('96110', ALLOW, '2026-10-01T10:00');
    assert.deepEqual([d.destination, d.reason, d.schedule?.holidayName], [HOLIDAY, 'holiday', '国庆节']);
    const e = route('02066660000', ALLOW, '2026-10-01T10:00');
    assert.deepEqual([e.destination, e.reason], [CLOSED, 'closed']);
  });

  it('opens on a make-up working day (2026-10-10)', () => {
    const d = route('96110', ALLOW, '2026-10-10T10:00');
    assert.deepEqual([d.destination, d.reason, d.schedule?.reason], [MENU, 'open', 'makeup-workday']);
  });

  it('refuses a number whose schedule does not exist with a coded error', () => {
    const table: InboundTable = {
      ...TABLE,
      numbers: [{ number: '96110', destination: MENU, schedule: 'nope', closed: CLOSED }],
    };
    assert.throws(
      () => routeInbound('96110', ALLOW, SCHEDULES, calendar, cst('2026-03-03T10:00'), table),
      (err: unknown) => err instanceof RoutingError && err.code === 'ROUTING_UNKNOWN_SCHEDULE',
    );
  });

  it('uses the time zone it is given for schedules without their own', () => {
    // 10:00 in Shanghai is 02:00 in London: closed there.
    const d = routeInbound(
      '96110',
      ALLOW,
      SCHEDULES,
      calendar,
      cst('2026-03-03T10:00'),
      TABLE,
      'Europe/London',
    );
    assert.equal(d.reason, 'closed');
  });
});

describe('routeInbound: region routes and priorities', () => {
  const elsewhere: Destination = { type: 'queue', queue: 'xinjiang' };
  const routed: CallerVerdict = { action: 'route', destination: elsewhere, rule: 'xj' };

  it('sends a region-routed caller elsewhere within hours, and to closed outside them', () => {
    assert.deepEqual(route('96110', routed).destination, elsewhere);
    assert.equal(route('96110', routed).reason, 'region-route');
    assert.deepEqual(route('96110', routed, '2026-03-03T21:00').destination, CLOSED);
    assert.deepEqual(route('01099990000', routed).destination, elsewhere);
  });

  it('raises a queue destination’s priority to a VIP’s, never lowers it', () => {
    const vip: CallerVerdict = { action: 'allow', vip: true, priority: 20 };
    assert.deepEqual(route('01088880001', vip).destination, { type: 'queue', queue: 'sales', priority: 20 });
    const low: CallerVerdict = { action: 'allow', priority: 0 };
    assert.deepEqual(route('01088880001', low).destination, SALES);
    assert.deepEqual(route('96110', vip).destination, MENU);
  });
});
