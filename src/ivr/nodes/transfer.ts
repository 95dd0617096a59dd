import type { NodeOf } from '../schema.js';
import type { TransferDestination } from '../schema-values.js';
import type { NodeContext, NodeKind, TemplateField } from './kind.js';

type TransferNode = NodeOf<'transfer'>;

/** The destination's text fields (queue name, numbers) with their templates replaced. */
function renderDestination(to: TransferDestination, ctx: NodeContext): TransferDestination {
  switch (to.type) {
    case 'queue':
      return { ...to, queue: ctx.render(to.queue) };
    case 'extension':
    case 'external':
      return { ...to, number: ctx.render(to.number) };
    case 'voicemail':
      return { ...to, mailbox: ctx.render(to.mailbox) };
    case 'ringGroup':
      return { ...to, group: ctx.render(to.group) };
  }
}

function destinationTemplates(to: TransferDestination): TemplateField[] {
  switch (to.type) {
    case 'queue':
      return [{ field: 'to.queue', text: to.queue }];
    case 'extension':
    case 'external':
      return [{ field: 'to.number', text: to.number }];
    case 'voicemail':
      return [{ field: 'to.mailbox', text: to.mailbox }];
    case 'ringGroup':
      return [{ field: 'to.group', text: to.group }];
  }
}

/**
 * Hands the call to a queue, an extension, a ring group, an external number or a
 * voicemail box, with every variable (and `data`) as associated data. Success ends the
 * flow; a refusal leaves by `busy`, `noAnswer` or `failed` (the first two fall back to
 * `failed`).
 */
export const transferKind: NodeKind<TransferNode> = {
  media: true,
  exits: (n) => ({ failed: n.failed, busy: n.busy, noAnswer: n.noAnswer, error: n.error }),
  requiredExits: () => [],
  fallback: { busy: 'failed', noAnswer: 'failed' },
  writes: () => [],
  templates: (n) => [
    ...destinationTemplates(n.to),
    ...Object.entries(n.data ?? {}).map(([k, text]) => ({ field: `data.${k}`, text })),
  ],
  async run(n, ctx) {
    const destination = renderDestination(n.to, ctx);
    const data: Record<string, string> = { ...ctx.vars.snapshot() };
    for (const [key, text] of Object.entries(n.data ?? {})) data[key] = ctx.render(text);
    const frozen = Object.freeze(data);
    const outcome = await ctx.channel.transfer(destination, frozen);
    if (outcome.ok) return { end: { kind: 'transferred', destination }, data: frozen };
    return { exit: outcome.reason };
  },
};
