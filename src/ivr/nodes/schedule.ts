import { asIvrError, IvrError } from '../errors.js';
import type { NodeOf } from '../schema.js';
import type { NodeKind } from './kind.js';

const STATES = ['open', 'closed', 'holiday'];

/** Asks the schedule port whether a named schedule is open now (时间策略). A missing `holiday` exit falls back to `closed`. */
export const scheduleKind: NodeKind<NodeOf<'schedule'>> = {
  media: false,
  exits: (n) => ({ open: n.open, closed: n.closed, holiday: n.holiday, error: n.error }),
  requiredExits: () => ['open', 'closed'],
  fallback: { holiday: 'closed' },
  writes: () => [],
  templates: () => [],
  async run(n, ctx) {
    const port = ctx.ports.scheduleState;
    if (port === undefined) {
      return {
        fail: new IvrError(
          'IVR_PORT_MISSING',
          `no schedule evaluation is configured (schedule ${JSON.stringify(n.schedule)})`,
        ),
      };
    }
    let state: string;
    try {
      state = await port(n.schedule, ctx.channel.now());
    } catch (err) {
      return { fail: asIvrError(err, 'IVR_PORT_FAILED') };
    }
    if (!STATES.includes(state)) {
      return {
        fail: new IvrError(
          'IVR_PORT_FAILED',
          `schedule ${JSON.stringify(n.schedule)} gave ${JSON.stringify(state)}`,
        ),
      };
    }
    return { exit: state };
  },
};
