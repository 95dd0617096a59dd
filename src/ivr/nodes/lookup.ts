import { asIvrError, IvrError } from '../errors.js';
import type { NodeOf } from '../schema.js';
import type { NodeKind } from './kind.js';

/** Finds the caller's customer record (弹屏 data) by number and copies fields into variables. */
export const lookupKind: NodeKind<NodeOf<'lookup'>> = {
  media: false,
  exits: (n) => ({ found: n.found, notFound: n.notFound, error: n.error }),
  requiredExits: () => ['found', 'notFound'],
  writes: (n) => Object.keys(n.fields),
  templates: (n) => [{ field: 'by', text: n.by }],
  async run(n, ctx) {
    const lookup = ctx.ports.lookupCustomer;
    if (lookup === undefined)
      return { fail: new IvrError('IVR_PORT_MISSING', 'no customer lookup is configured') };
    let record;
    try {
      record = await lookup(ctx.render(n.by));
    } catch (err) {
      return { fail: asIvrError(err, 'IVR_PORT_FAILED') };
    }
    if (record === null) return { exit: 'notFound' };
    for (const [variable, field] of Object.entries(n.fields)) {
      const value = Object.hasOwn(record, field) ? record[field] : null;
      ctx.vars.set(variable, value === null || value === undefined ? '' : String(value));
    }
    return { exit: 'found' };
  },
};
