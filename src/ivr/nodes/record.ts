import { asIvrError } from '../errors.js';
import type { NodeOf } from '../schema.js';
import { promptTemplates, type NodeKind } from './kind.js';

/** Records a message (留言) after the prompts and an optional beep; the file's path goes into `into`. */
export const recordKind: NodeKind<NodeOf<'record'>> = {
  media: true,
  exits: (n) => ({ ok: n.ok, error: n.error }),
  requiredExits: () => ['ok'],
  writes: (n) => [n.into],
  templates: (n) => promptTemplates(n.prompts, 'prompts'),
  async run(n, ctx) {
    try {
      const result = await ctx.channel.record({
        prompts: ctx.prompts(n.prompts),
        lang: ctx.vars.lang,
        maxSeconds: n.maxSeconds,
        beep: n.beep,
        terminator: n.terminator === '' ? null : n.terminator,
        name: `${ctx.callId}-${ctx.nodeId}`,
      });
      ctx.vars.set(n.into, result.path);
      return { exit: 'ok' };
    } catch (err) {
      return { fail: asIvrError(err, 'IVR_PORT_FAILED') };
    }
  },
};
