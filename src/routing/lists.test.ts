import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_WARNING_PROMPTS, screenCaller, type CallerLists } from './lists.js';
import { createNumberFacts } from './number-facts.js';
import type { NumberFacts } from './region.js';

/** The real tables, in memory (the default source). */
const facts = createNumberFacts();
before(() => facts.preload());

const LISTS: CallerLists = {
  blacklist: [
    { number: '13900001111' },
    { number: '+86 139 0000 2222', action: 'reject', cause: 486 },
    { number: '13900003333', action: 'warn' },
    { prefix: '170', action: 'reject' },
    { prefix: '1700', action: 'warn', prompts: [{ file: 'warnings/fraud.wav' }] },
  ],
  whitelist: [{ number: '13900001111' }, { prefix: '0108888' }],
  vip: [
    { number: '13800138000', priority: 20 },
    { number: '13700137000' },
    { number: '01088880001', priority: 30 },
  ],
};

describe('screenCaller: blacklist', () => {
  it('refuses a listed number with 603 Decline by default, or the entry’s cause', () => {
    assert.deepEqual(screenCaller('13900004444', undefined, { blacklist: [{ number: '13900004444' }] }), {
      action: 'reject',
      cause: 603,
      list: 'blacklist',
      matched: 'number 13900004444',
    });
    assert.deepEqual(screenCaller('13900002222', undefined, LISTS), {
      action: 'reject',
      cause: 486,
      list: 'blacklist',
      matched: 'number +86 139 0000 2222',
    });
  });

  it('matches a number however the caller ID writes it', () => {
    for (const caller of [
      '+8613900002222',
      '8613900002222',
      '013900002222',
      '139-0000-2222',
      '0086 139 0000 2222',
    ]) {
      assert.equal(screenCaller(caller, undefined, LISTS).action, 'reject', caller);
    }
  });

  it('refuses by prefix, the longest prefix deciding', () => {
    const r = screenCaller('17012345678', undefined, LISTS);
    assert.deepEqual(r, { action: 'reject', cause: 603, list: 'blacklist', matched: 'prefix 170' });
    const w = screenCaller('17001234567', undefined, LISTS);
    assert.deepEqual(w, {
      action: 'warn',
      prompts: [{ file: 'warnings/fraud.wav' }],
      list: 'blacklist',
      matched: 'prefix 1700',
    });
  });

  it('plays the harassment warning to a warn entry without prompts of its own', () => {
    const r = screenCaller('13900003333', undefined, LISTS);
    assert.deepEqual(r, {
      action: 'warn',
      prompts: DEFAULT_WARNING_PROMPTS,
      list: 'blacklist',
      matched: 'number 13900003333',
    });
    const own = { ...LISTS, warningPrompts: [{ prompt: 'goodbye' }] };
    assert.deepEqual(screenCaller('13900003333', undefined, own), {
      action: 'warn',
      prompts: [{ prompt: 'goodbye' }],
      list: 'blacklist',
      matched: 'number 13900003333',
    });
  });
});

describe('screenCaller: whitelist and VIP', () => {
  it('lets a whitelisted number past the blacklist', () => {
    assert.deepEqual(screenCaller('13900001111', undefined, LISTS), { action: 'allow', whitelisted: true });
  });

  it('lets a whitelisted number past region rules', () => {
    const lists: CallerLists = { ...LISTS, regionRules: [{ province: '北京', action: 'reject' }] };
    const beijing: NumberFacts = { kind: 'fixed', number: '01088880002', province: '北京市', city: '北京市' };
    assert.deepEqual(screenCaller('01088880002', beijing, lists), { action: 'allow', whitelisted: true });
    assert.equal(screenCaller('01099990000', { ...beijing, number: '01099990000' }, lists).action, 'reject');
  });

  it('gives a VIP its priority, 10 by default, and keeps it when whitelisted', () => {
    assert.deepEqual(screenCaller('+86 138 0013 8000', undefined, LISTS), {
      action: 'allow',
      vip: true,
      priority: 20,
    });
    assert.deepEqual(screenCaller('13700137000', undefined, LISTS), {
      action: 'allow',
      vip: true,
      priority: 10,
    });
    assert.deepEqual(screenCaller('01088880001', undefined, LISTS), {
      action: 'allow',
      whitelisted: true,
      vip: true,
      priority: 30,
    });
  });

  it('allows an ordinary, withheld or junk caller with nothing set', () => {
    for (const caller of ['13600136000', '', 'anonymous', '+']) {
      assert.deepEqual(screenCaller(caller, undefined, LISTS), { action: 'allow' }, caller);
    }
  });
});

describe('screenCaller: region rules with real number facts', () => {
  const queue = { type: 'queue', queue: 'beijing-mobile' } as const;
  const lists: CallerLists = {
    vip: [{ number: '13800138000', priority: 20 }],
    regionRules: [
      { name: 'gz-fixed', city: '广州', action: 'warn' },
      { name: 'bj-mobile', province: '北京', carrier: '移动', action: 'route', destination: queue },
      { name: 'guangdong', province: '广东省', action: 'priority', priority: 5 },
    ],
  };

  it('routes 13800138000 (Beijing, China Mobile) by province and carrier, keeping VIP', async () => {
    const f = await facts.lookup('13800138000');
    assert.deepEqual(screenCaller('13800138000', f, lists), {
      action: 'route',
      destination: queue,
      rule: 'bj-mobile',
      vip: true,
      priority: 20,
    });
  });

  it('warns a Guangzhou fixed number (020) by city, the first matching rule deciding', async () => {
    const f = await facts.lookup('02083334444');
    const r = screenCaller('02083334444', f, lists);
    assert.deepEqual(r, {
      action: 'warn',
      prompts: DEFAULT_WARNING_PROMPTS,
      list: 'region',
      matched: 'gz-fixed',
    });
  });

  it('sets a priority for the rest of the province', async () => {
    const f = await facts.lookup('075512345678');
    assert.deepEqual(screenCaller('075512345678', f, lists), {
      action: 'allow',
      priority: 5,
      rule: 'guangdong',
    });
  });

  it('matches official, short and 省-suffixed province names alike', () => {
    const nanning: NumberFacts = {
      kind: 'fixed',
      number: '07715555555',
      province: '广西壮族自治区',
      city: '南宁市',
    };
    for (const province of ['广西', '广西壮族自治区', '广西省']) {
      const r = screenCaller('07715555555', nanning, {
        regionRules: [{ province, action: 'reject', cause: 403 }],
      });
      assert.deepEqual(
        r,
        { action: 'reject', cause: 403, list: 'region', matched: 'regionRules[0]' },
        province,
      );
    }
  });

  it('skips region rules without facts, and never matches a rule that names nothing', () => {
    assert.deepEqual(screenCaller('02083334444', undefined, lists), { action: 'allow' });
    const empty = { kind: 'unknown', number: 'x' } as const;
    assert.deepEqual(screenCaller('x', empty, { regionRules: [{ action: 'reject' }] }), { action: 'allow' });
  });
});
