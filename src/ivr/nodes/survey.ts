import type { NodeOf } from '../schema.js';
import { ask, INVALID_INPUT } from './input.js';
import { promptTemplates, type NodeKind } from './kind.js';

/**
 * Satisfaction survey (满意度调查): one key among `accept` is the score, stored in `into`
 * and in the step log's digits. No answer after the retries stores the empty string; the
 * flow goes on by `next` either way.
 */
export const surveyKind: NodeKind<NodeOf<'survey'>> = {
  media: true,
  exits: (n) => ({ next: n.next, error: n.error }),
  requiredExits: () => ['next'],
  writes: (n) => [n.into],
  templates: (n) => [
    ...promptTemplates(n.prompts, 'prompts'),
    ...promptTemplates(n.invalidPrompts, 'invalidPrompts'),
    ...promptTemplates(n.timeoutPrompts, 'timeoutPrompts'),
    ...promptTemplates(n.thanks, 'thanks'),
  ],
  async run(n, ctx) {
    const answer = await ask(ctx, {
      prompts: n.prompts,
      retries: n.retries,
      inputTimeout: n.inputTimeout,
      invalidPrompts: n.invalidPrompts ?? INVALID_INPUT,
      timeoutPrompts: n.timeoutPrompts ?? [],
      keys: { min: 1, max: 1, terminator: null, interDigitTimeoutMs: 0 },
      judge: (r) => (r.digits === '' ? 'timeout' : n.accept.includes(r.digits.charAt(0)) ? 'ok' : 'invalid'),
    });
    const score = answer.verdict === 'ok' ? answer.digits.charAt(0) : '';
    ctx.vars.set(n.into, score);
    if (score !== '' && n.thanks !== undefined && n.thanks.length > 0 && !ctx.signal.aborted) {
      await ctx.channel.play(ctx.prompts(n.thanks), { lang: ctx.vars.lang, bargeIn: false });
    }
    return { exit: 'next', digits: score === '' ? null : score };
  },
};
