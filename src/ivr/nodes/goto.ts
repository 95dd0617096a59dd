import type { NodeOf } from '../schema.js';
import type { NodeKind } from './kind.js';

/** Continues in another flow, at its start and its currently published version; variables carry over. */
export const gotoKind: NodeKind<NodeOf<'goto'>> = {
  media: false,
  exits: (n) => ({ error: n.error }),
  requiredExits: () => [],
  writes: () => [],
  templates: () => [],
  async run(n) {
    return { goto: n.flow };
  },
};
