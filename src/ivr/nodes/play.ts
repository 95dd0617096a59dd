import type { NodeOf } from '../schema.js';
import { promptTemplates, type NodeKind } from './kind.js';

/** Plays prompts; with bargeIn a key stops them (and stays buffered for the next input node). */
export const playKind: NodeKind<NodeOf<'play'>> = {
  media: true,
  exits: (n) => ({ next: n.next, error: n.error }),
  requiredExits: () => ['next'],
  writes: () => [],
  templates: (n) => promptTemplates(n.prompts, 'prompts'),
  async run(n, ctx) {
    const result = await ctx.channel.play(ctx.prompts(n.prompts), {
      lang: ctx.vars.lang,
      bargeIn: n.bargeIn,
    });
    return { exit: 'next', digits: result.digit ?? null };
  },
};
