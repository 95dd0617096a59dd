import type { NodeOf } from '../schema.js';
import { ask, INVALID_INPUT } from './input.js';
import { promptTemplates, type NodeKind } from './kind.js';

/** One key chooses an option; after the retries a wrong key leaves by `invalid`, silence by `timeout`. */
export const menuKind: NodeKind<NodeOf<'menu'>> = {
  media: true,
  exits: (n) => ({ ...n.options, invalid: n.invalid, timeout: n.timeout, error: n.error }),
  requiredExits: () => [],
  writes: () => [],
  templates: (n) => [
    ...promptTemplates(n.prompts, 'prompts'),
    ...promptTemplates(n.invalidPrompts, 'invalidPrompts'),
    ...promptTemplates(n.timeoutPrompts, 'timeoutPrompts'),
  ],
  async run(n, ctx) {
    const answer = await ask(ctx, {
      prompts: n.prompts,
      retries: n.retries,
      inputTimeout: n.inputTimeout,
      invalidPrompts: n.invalidPrompts ?? INVALID_INPUT,
      timeoutPrompts: n.timeoutPrompts ?? [],
      keys: { min: 1, max: 1, terminator: null, interDigitTimeoutMs: 0 },
      judge: (r) =>
        r.digits === '' ? 'timeout' : Object.hasOwn(n.options, r.digits.charAt(0)) ? 'ok' : 'invalid',
    });
    const key = answer.digits.charAt(0);
    if (answer.verdict === 'ok') return { exit: key, digits: key };
    return { exit: answer.verdict, digits: key === '' ? null : key };
  },
};
