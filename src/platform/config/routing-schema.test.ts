import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { CallerLists } from '../../routing/lists.js';
import type { InboundTable } from '../../routing/inbound.js';
import type { OutboundRoute, PermissionClass } from '../../routing/outbound.js';
import {
  DEFAULT_EMERGENCY_NUMBERS as ROUTING_EMERGENCY,
  PERMISSION_CLASSES as ROUTING_CLASSES,
} from '../../routing/outbound.js';
import { DEFAULT_WARNING_PROMPTS } from '../../routing/lists.js';
import type { HolidayYearInput } from '../../routing/holidays.js';
import type { Schedule } from '../../routing/schedule.js';
import { WEEKDAYS as ROUTING_WEEKDAYS } from '../../routing/schedule.js';
import type { Destination, PromptSpec } from '../../routing/types.js';
import { formatProblems } from './problems.js';
import {
  DEFAULT_EMERGENCY_NUMBERS,
  DEFAULT_WARNING_TEXT,
  destinationSchema,
  PERMISSION_CLASSES,
  permissionSchema,
  promptSpecSchema,
  routingConfigSchema,
  WEEKDAYS,
  type RoutingConfig,
} from './routing-schema.js';

/** The problems of a routing configuration, one line each as check-config prints them. */
function problems(input: unknown): string[] {
  const r = routingConfigSchema.safeParse(input, { reportInput: true });
  return r.success ? [] : formatProblems(r.error.issues, routingConfigSchema);
}

function valid(input: unknown): RoutingConfig {
  const r = routingConfigSchema.safeParse(input, { reportInput: true });
  assert.ok(r.success, r.success ? '' : formatProblems(r.error.issues).join('\n'));
  return r.data;
}

const docs = readFileSync(new URL('../../../docs/routing.md', import.meta.url), 'utf8');
const yamlBlocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

const MENU = { type: 'ivr', flow: 'main' } as const;

describe('routing configuration: defaults and the documented example', () => {
  it('gives every routing section a working default from an empty file', () => {
    assert.deepEqual(valid({}), {
      timeZone: 'Asia/Shanghai',
      holidays: {},
      schedules: {},
      lists: {
        blacklist: [],
        whitelist: [],
        vip: [],
        regionRules: [],
        warningPrompts: [{ tts: DEFAULT_WARNING_TEXT, lang: 'zh-CN' }],
      },
      inbound: { numbers: [], default: { type: 'hangup', cause: 404 } },
      outbound: { routes: [], emergencyNumbers: ['110', '119', '120', '122'] },
    });
  });

  it('accepts the complete example of docs/routing.md', () => {
    const cfg = valid(parse(yamlBlocks[0] ?? ''));
    assert.deepEqual(cfg.schedules.hotline?.hours.daily, ['08:00-20:00']);
    assert.equal(cfg.schedules.hotline?.makeupWorkdayAs, 'mon');
    assert.equal(cfg.lists.blacklist[0]?.cause, 603);
    assert.equal(cfg.inbound.numbers[0]?.schedule, 'hotline');
    assert.equal(cfg.outbound.routes[1]?.permission, 'auto');
    assert.deepEqual(cfg.holidays['2027']?.work, ['2027-02-14']);
  });

  it('accepts the documented extension permissions, national by default', () => {
    const doc = parse(yamlBlocks[1] ?? '') as { extensions: { permission: string }[] };
    assert.deepEqual(
      doc.extensions.map((e) => permissionSchema.parse(e.permission)),
      ['local', 'international'],
    );
    assert.equal(permissionSchema.parse(undefined), 'national');
    assert.equal(permissionSchema.safeParse('global').success, false);
  });

  it('gives the routing modules the shapes they take', () => {
    const cfg = valid(parse(yamlBlocks[0] ?? ''));
    // Compile-time proof that parsed sections fit the routing functions' inputs.
    const schedules: Readonly<Record<string, Schedule>> = cfg.schedules;
    const lists: CallerLists = cfg.lists;
    const inbound: InboundTable = cfg.inbound;
    const routes: readonly OutboundRoute[] = cfg.outbound.routes;
    const holidays: Readonly<Record<string, HolidayYearInput>> = cfg.holidays;
    const permission: PermissionClass = permissionSchema.parse('local');
    const destination: Destination = destinationSchema.parse(MENU);
    const prompt: PromptSpec = promptSpecSchema.parse({ say: 'digits', value: '${CALLER}' });
    assert.ok(schedules && lists && inbound && routes && holidays && permission && destination && prompt);
  });

  it('keeps its copies of the routing modules’ constants equal to the originals', () => {
    assert.deepEqual([...PERMISSION_CLASSES], [...ROUTING_CLASSES]);
    assert.deepEqual([...DEFAULT_EMERGENCY_NUMBERS], [...ROUTING_EMERGENCY]);
    assert.deepEqual([...WEEKDAYS], [...ROUTING_WEEKDAYS]);
    assert.deepEqual([{ tts: DEFAULT_WARNING_TEXT, lang: 'zh-CN' }], DEFAULT_WARNING_PROMPTS);
  });
});

describe('destinationSchema and promptSpecSchema', () => {
  it('accepts every destination type', () => {
    const all = [
      MENU,
      { type: 'queue', queue: 'sales', priority: 5, skills: { mandarin: 3 } },
      { type: 'queue', queue: 'sales', queues: ['service', 'backup'] },
      { type: 'extension', number: '1001' },
      { type: 'ringGroup', group: 'front-desk' },
      { type: 'voicemail', mailbox: '1001' },
      { type: 'external', number: '+8613800138000', trunkGroup: 'carriers' },
      { type: 'announcement', prompts: [{ file: 'closed.wav' }, { silenceMs: 500 }, { prompt: 'goodbye' }] },
      { type: 'hangup' },
    ];
    for (const d of all) assert.deepEqual(destinationSchema.parse(d), d);
  });

  it('names what is wrong with a destination', () => {
    const lines = (d: unknown) => {
      const r = destinationSchema.safeParse(d, { reportInput: true });
      return r.success ? [] : formatProblems(r.error.issues);
    };
    assert.deepEqual(lines({ type: 'teleport' }), [
      'type: must be one of ivr, queue, extension, ringGroup, voicemail, external, announcement, hangup',
    ]);
    assert.deepEqual(lines({ type: 'queue', queue: 'q', skills: { english: 11 } }), [
      'skills.english: must be a proficiency 1-10',
    ]);
    assert.deepEqual(lines({ type: 'queue', queue: 'q', queues: [] }), ['queues: must list at least 1 item']);
    assert.deepEqual(lines({ type: 'hangup', cause: 200 }), ['cause: must be a SIP status 400-699']);
    assert.deepEqual(lines({ type: 'extension', number: '1001', queue: 'x' }), ['queue: unknown key']);
    assert.deepEqual(lines({ type: 'announcement', prompts: [] }), ['prompts: must list at least 1 item']);
  });

  it('names what is wrong with a prompt', () => {
    const lines = (p: unknown) => {
      const r = promptSpecSchema.safeParse(p, { reportInput: true });
      return r.success ? [] : formatProblems(r.error.issues);
    };
    assert.deepEqual(lines({ silenceMs: 0 }), ['silenceMs: must be at least 1']);
    assert.deepEqual(lines({ tts: 'hi', lang: 'fr' }), ['lang: expected one of zh-CN, en; received "fr"']);
    const announcement = { type: 'announcement', prompts: [{ file: 'a.wav' }, { tts: 'x', lang: 'fr' }] };
    assert.deepEqual(problems({ inbound: { numbers: [{ number: '96110', destination: announcement }] } }), [
      'inbound.numbers[0].destination.prompts[1].lang: expected one of zh-CN, en; received "fr"',
    ]);
    assert.deepEqual(lines('hello.wav'), [
      '(top level): expected a prompt: { file }, { tts, lang? }, { say, value }, { prompt } or { silenceMs }',
    ]);
    assert.deepEqual(lines({ sound: 'x.wav' }), [
      '(top level): expected a prompt: { file }, { tts, lang? }, { say, value }, { prompt } or { silenceMs }',
    ]);
  });
});

describe('routing configuration: problems name the key', () => {
  it('refuses an unknown time zone', () => {
    assert.deepEqual(problems({ timeZone: 'Asia/Beijing' }), [
      'timeZone: must be an IANA time zone such as Asia/Shanghai',
    ]);
    assert.deepEqual(problems({ schedules: { s: { timeZone: 'CST+8' } } }), [
      'schedules.s.timeZone: must be an IANA time zone such as Asia/Shanghai',
    ]);
  });

  it('refuses an inbound number naming an unknown schedule', () => {
    const inbound = {
      numbers: [
        { number: '96110', destination: MENU },
        { number: '96111', destination: MENU, schedule: 'hotline', closed: MENU },
        { number: '96112', destination: MENU, schedule: 'nigth', closed: MENU },
      ],
    };
    assert.deepEqual(problems({ schedules: { hotline: {}, night: {} }, inbound }), [
      'inbound.numbers[2].schedule: no schedule "nigth" in schedules (known: hotline, night)',
    ]);
  });

  it('refuses a bad pattern in a route or a DID, with its column', () => {
    const outbound = { routes: [{ name: 'out', patterns: ['_9X.', '_9[12'], trunks: ['t'] }] };
    assert.deepEqual(problems({ outbound }), [
      'outbound.routes[0].patterns[1]: pattern "_9[12" at column 3: "[" is never closed by "]"',
    ]);
    const inbound = { numbers: [{ number: '_010.5', destination: MENU }] };
    assert.deepEqual(problems({ inbound }), [
      'inbound.numbers[0].number: pattern "_010.5" at column 5: "." must be the last character',
    ]);
  });

  it('refuses overlapping and unreadable hours', () => {
    const schedules = {
      office: { hours: { mon: ['08:00-12:00', '11:00-14:00'], tue: ['20:00-08:00'], wed: ['8:00-12:00'] } },
    };
    const lines = problems({ schedules });
    assert.deepEqual(lines, [
      'schedules.office.hours.mon[1]: "11:00-14:00" overlaps "08:00-12:00" (11:00-12:00)',
      'schedules.office.hours.tue[0]: "20:00-08:00" ends before it starts; hours past midnight go in two ranges (22:00-24:00 and 00:00-06:00 of the next day)',
      'schedules.office.hours.wed[0]: "8:00-12:00" is not a time range HH:MM-HH:MM (00:00 to 24:00)',
    ]);
  });

  it('accepts 24:00 as the end of a day and refuses 24:30', () => {
    assert.deepEqual(problems({ schedules: { night: { hours: { fri: ['22:00-24:00'] } } } }), []);
    assert.equal(problems({ schedules: { night: { hours: { fri: ['22:00-24:30'] } } } }).length, 1);
  });

  it('refuses holiday dates that are not dates, not in their year, or both off and work', () => {
    const holidays = {
      '2027': { off: ['2027-02-30', '2026-12-31', '2027-02-05..2027-02-11'], work: ['2027-02-08'] },
      '27': { off: [] },
    };
    assert.deepEqual(problems({ holidays }), ['holidays["27"]: key must be a year such as "2027"']);
    delete (holidays as Record<string, unknown>)['27'];
    assert.deepEqual(problems({ holidays }), [
      'holidays["2027"].off[0]: "2027-02-30" is not a date (YYYY-MM-DD)',
      'holidays["2027"].off[1]: "2026-12-31" is not in 2027: list it under holidays."2026"',
      'holidays["2027"].work[0]: 2027-02-08 is also listed in holidays."2027".off',
    ]);
  });

  it('refuses a schedule date that is both closed and open, and a backwards range', () => {
    const schedules = {
      s: { closedDates: ['2026-10-02'], openDates: ['2026-10-01..2026-10-03', '2026-10-05..2026-10-04'] },
    };
    assert.deepEqual(problems({ schedules }), [
      'schedules.s.openDates[1]: range "2026-10-05..2026-10-04" ends before it starts',
      'schedules.s.openDates[0]: 2026-10-02 is also listed in closedDates',
    ]);
  });

  it('refuses list entries with both or neither of number and prefix, and repeats', () => {
    const lists = {
      blacklist: [
        { number: '13900001111', prefix: '139' },
        { action: 'warn' },
        { prefix: '170' },
        { prefix: '170' },
      ],
      vip: [{ prefix: '+86138' }],
    };
    assert.deepEqual(problems({ lists }), [
      'lists.vip[0].prefix: must be 1 to 20 digits (write prefixes in national form)',
      'lists.blacklist[0]: give either number or prefix (one of them)',
      'lists.blacklist[1]: give either number or prefix (one of them)',
      'lists.blacklist[3]: duplicate prefix 170 (also blacklist[2])',
    ]);
  });

  it('refuses region rules that match nothing or lack what their action needs', () => {
    const lists = {
      regionRules: [
        { action: 'reject' },
        { province: '新疆', action: 'route' },
        { carrier: '中国移动', action: 'priority' },
        { city: '广州', action: 'warn', destination: MENU },
      ],
    };
    assert.deepEqual(problems({ lists }), [
      'lists.regionRules[0]: give at least one of province, city, carrier',
      'lists.regionRules[1].destination: action route needs a destination',
      'lists.regionRules[2].priority: action priority needs a priority (0-100)',
      "lists.regionRules[3].destination: is only used with action route (this rule's action is warn)",
    ]);
  });

  it('refuses inbound numbers without closed, with closed but no schedule, or repeated', () => {
    const inbound = {
      numbers: [
        { number: '96110', destination: MENU, schedule: 'hotline' },
        { number: '96111', destination: MENU, holiday: MENU },
        { number: '010-6555-1234', destination: MENU },
        { number: '+86 10 6555 1234', destination: MENU },
      ],
    };
    assert.deepEqual(problems({ schedules: { hotline: {} }, inbound }), [
      'inbound.numbers[0].closed: a number with a schedule needs closed: where calls go outside its hours',
      'inbound.numbers[1].holiday: is only used with a schedule',
      'inbound.numbers[3].number: duplicate of inbound.numbers[2].number',
    ]);
  });

  it('refuses routes with a repeated name, a repeated pattern, or nothing to match', () => {
    const outbound = {
      routes: [
        { name: 'a', patterns: ['_9X.'], trunks: ['t'] },
        { name: 'a', patterns: ['_9X.'], trunks: ['t'] },
        { name: 'b', trunks: ['t'] },
        { name: 'c', prefix: '9', trunks: [] },
      ],
      areaCode: '10',
      emergencyNumbers: ['1'],
    };
    assert.deepEqual(problems({ outbound }), [
      'outbound.routes[3].trunks: must list at least 1 item',
      'outbound.emergencyNumbers[0]: must be 2 to 8 digits',
      'outbound.areaCode: must be a Chinese area code with its leading 0, such as "010" or "0755"',
      'outbound.routes[1].name: duplicate route name "a" (also routes[0])',
      'outbound.routes[1].patterns[0]: "_9X." is already outbound.routes[0].patterns[0]: this one is never chosen',
      'outbound.routes[2]: give patterns or a prefix: a route that matches nothing is never used',
    ]);
  });

  it('refuses unknown keys with a hint', () => {
    assert.deepEqual(problems({ lists: { blacklists: [] } }), [
      'lists.blacklists: unknown key, did you mean blacklist?',
    ]);
    assert.deepEqual(problems({ schedules: { s: { hour: {} } } }), ['schedules.s.hour: unknown key']);
  });
});
