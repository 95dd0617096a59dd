import type { NodeOf } from '../schema.js';
import type { NodeKind } from './kind.js';

/** Sets LANG, the language of every prompt after it (usually right after a language menu). */
export const languageKind: NodeKind<NodeOf<'language'>> = {
  media: false,
  exits: (n) => ({ next: n.next, error: n.error }),
  requiredExits: () => ['next'],
  writes: () => [],
  templates: () => [],
  async run(n, ctx) {
    ctx.vars.lang = n.lang;
    return { exit: 'next' };
  },
};
