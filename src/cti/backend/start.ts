/**
 * Starting the CTI server over the real backend, from the `cti` configuration section
 * (server.ts calls this when `cti.enabled`).
 */
import { InboundCallLeg } from '../../call/control/inbound.js';
import type { CallRouter } from '../../pbx/call-router.js';
import type { Config } from '../../platform/config/index.js';
import { CtiError } from '../errors.js';
import { startCtiServer, type CtiServer } from '../server.js';
import { createCtiBackend, type CallCenterBackend } from './backend.js';
import type { CtiBackendDeps, RunFlow } from './types.js';

export interface StartCtiDeps extends Omit<CtiBackendDeps, 'emit'> {
  readonly config: Config['cti'];
}

export interface RunningCti {
  readonly server: CtiServer;
  readonly backend: CallCenterBackend;
  /** Closes the connections and the listener, and stops following calls. Idempotent. */
  close(): Promise<void>;
}

export async function startCti(deps: StartCtiDeps): Promise<RunningCti> {
  const { config, ...backendDeps } = deps;
  const backend = createCtiBackend(backendDeps);
  let server: CtiServer;
  try {
    server = await startCtiServer({
      port: config.port,
      bindAddress: config.bindAddress,
      tokens: config.tokens,
      backend,
      logger: deps.logger,
      pingIntervalMs: config.pingInterval * 1000,
      maxBufferedBytes: config.maxBufferedBytes,
      clock: deps.clock,
    });
  } catch (err) {
    backend.close();
    throw err;
  }
  backend.setEmit((event, audience) => server.emit(event, audience));
  return {
    server,
    backend,
    close: async () => {
      backend.close();
      await server.close();
    },
  };
}

/**
 * transferToIvr through the call router: a flow runs on a party that called in (the router's
 * IVR drives an inbound leg); an unknown flow is NOT_FOUND before the agent is released.
 */
export function routerFlows(router: Pick<CallRouter, 'catalog' | 'runIvr'>): RunFlow {
  return {
    check: (party, flow) => {
      if (router.catalog.current(flow) === undefined) {
        throw new CtiError('NOT_FOUND', `flow: no IVR flow ${flow} is published`, { field: 'flow' });
      }
      if (!(party instanceof InboundCallLeg)) {
        throw new CtiError(
          'INVALID_STATE',
          `only a party who called in can be sent to an IVR; ${party.party.number} was called`,
        );
      }
    },
    run: (call, party, flow) => {
      if (!(party instanceof InboundCallLeg)) return Promise.reject(new Error('not an inbound leg'));
      return router.runIvr(call, party, flow);
    },
  };
}
