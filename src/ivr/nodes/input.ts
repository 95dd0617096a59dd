/**
 * The ask-and-retry loop of the input nodes (menu, collect, survey): play the prompts and
 * read keys; on a wrong or missing answer play the invalid or timeout prompts and ask
 * again, `retries` more times. The invalid/timeout prompts play only before another
 * attempt, never on the way out (they usually say "please try again").
 */
import type { PromptSpec } from '../../routing/types.js';
import type { CollectRequest, CollectResult } from '../types.js';
import type { NodeContext } from './kind.js';

export type Verdict = 'ok' | 'invalid' | 'timeout';

export interface AskOptions {
  readonly prompts: readonly PromptSpec[];
  readonly retries: number;
  readonly inputTimeout: number;
  readonly invalidPrompts: readonly PromptSpec[];
  readonly timeoutPrompts: readonly PromptSpec[];
  readonly keys: Pick<CollectRequest, 'min' | 'max' | 'terminator' | 'interDigitTimeoutMs'>;
  readonly judge: (result: CollectResult) => Verdict;
}

export interface Answer {
  readonly verdict: Verdict;
  readonly digits: string;
  /** Attempts made, 1 … retries + 1. */
  readonly attempts: number;
}

export async function ask(ctx: NodeContext, opts: AskOptions): Promise<Answer> {
  const attempts = opts.retries + 1;
  let last: Answer = { verdict: 'timeout', digits: '', attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await ctx.channel.collect({
      ...opts.keys,
      prompts: ctx.prompts(opts.prompts),
      lang: ctx.vars.lang,
      firstDigitTimeoutMs: Math.round(opts.inputTimeout * 1000),
    });
    last = { verdict: opts.judge(result), digits: result.digits, attempts: attempt };
    if (last.verdict === 'ok' || attempt === attempts || ctx.signal.aborted) return last;
    const between = last.verdict === 'invalid' ? opts.invalidPrompts : opts.timeoutPrompts;
    if (between.length > 0)
      await ctx.channel.play(ctx.prompts(between), { lang: ctx.vars.lang, bargeIn: false });
    if (ctx.signal.aborted) return last;
  }
  return last;
}

/** The system prompt "invalid input, please try again", the default between wrong answers. */
export const INVALID_INPUT: readonly PromptSpec[] = [{ prompt: 'invalid-input' }];
