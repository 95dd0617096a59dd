import type { NodeOf } from '../schema.js';
import type { CollectResult } from '../types.js';
import { ask, INVALID_INPUT, type Verdict } from './input.js';
import { promptTemplates, type NodeKind } from './kind.js';

type CollectNode = NodeOf<'collect'>;

/** `pattern` must match the whole input. */
export function collectVerdict(n: CollectNode, r: CollectResult): Verdict {
  if (r.digits === '') return 'timeout';
  if (r.digits.length < n.min || r.digits.length > n.max) return 'invalid';
  if (n.pattern !== undefined && !new RegExp(`^(?:${n.pattern})$`, 'u').test(r.digits)) return 'invalid';
  return 'ok';
}

/** Reads min…max keys (ending at the terminator, at max, or after a pause) into a variable. */
export const collectKind: NodeKind<CollectNode> = {
  media: true,
  exits: (n) => ({ ok: n.ok, invalid: n.invalid, timeout: n.timeout, error: n.error }),
  requiredExits: () => ['ok'],
  writes: (n) => [n.into],
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
      keys: {
        min: n.min,
        max: n.max,
        terminator: n.terminator === '' ? null : n.terminator,
        interDigitTimeoutMs: Math.round(n.interDigitTimeout * 1000),
      },
      judge: (r) => collectVerdict(n, r),
    });
    if (answer.verdict === 'ok') ctx.vars.set(n.into, answer.digits);
    return { exit: answer.verdict, digits: answer.digits === '' ? null : answer.digits };
  },
};
