import type { NodeOf } from '../schema.js';
import type { NodeKind } from './kind.js';

/** Ends the call with a Q.850 cause. In onHangup it simply ends the chain. */
export const hangupKind: NodeKind<NodeOf<'hangup'>> = {
  media: false,
  exits: () => ({}),
  requiredExits: () => [],
  writes: () => [],
  templates: () => [],
  async run(n, ctx) {
    if (!ctx.signal.aborted && !ctx.channel.hungUp.aborted) {
      try {
        await ctx.channel.hangup(n.cause);
      } catch (err) {
        // The call ends here whatever call control says; nothing is left to retry.
        ctx.logger.warn({ err, nodeId: ctx.nodeId }, 'IVR hangup failed');
      }
    }
    return { end: { kind: 'hangup', cause: n.cause, reason: 'node' } };
  },
};
