/**
 * OPTIONS pings to a trunk (RFC 3261 §11): the I/O side of core/health.ts. One ping at a
 * time: the next goes `options.interval` seconds after the last one was answered or missed.
 * A ping is missed when nothing answers within `answerDeadlineMs` (4 UDP retransmissions fit
 * in the default 5 s), or the transaction times out, or the transport fails.
 */
import { trySend, type SipContext } from '../../call/index.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { TrunkConfig } from '../../platform/config/trunk-schema.js';
import { newCallId } from '../../sip/message/index.js';
import { INITIAL_HEALTH, stepHealth, type HealthState, type PingResult } from './core/health.js';
import { accountAor, buildRequest, trunkEndpoint, trunkUri } from './sip-requests.js';

export const DEFAULT_ANSWER_DEADLINE_MS = 5000;

export interface HealthCheckOptions {
  readonly ctx: SipContext;
  readonly trunk: TrunkConfig;
  readonly resolve: (host: string) => Promise<readonly string[]>;
  readonly onChange?: (state: HealthState) => void;
  readonly answerDeadlineMs?: number;
}

export class HealthCheck {
  private state: HealthState = INITIAL_HEALTH;
  private timer: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private generation = 0;
  private running = false;
  private cseq = 0;
  private readonly log: Logger;

  constructor(private readonly opts: HealthCheckOptions) {
    this.log = opts.ctx.logger.child({ trunk: opts.trunk.name });
  }

  get snapshot(): HealthState {
    return this.state;
  }

  /** False when `options.interval` is 0: no pings, the trunk is never marked down. */
  get enabled(): boolean {
    return this.opts.trunk.options.interval > 0;
  }

  start(): void {
    if (this.running || !this.enabled) return;
    this.running = true;
    void this.ping();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.timer?.cancel();
    this.deadline?.cancel();
    this.timer = this.deadline = undefined;
  }

  private async ping(): Promise<void> {
    const gen = ++this.generation;
    const { ctx, trunk } = this.opts;
    const settle = (result: PingResult) => {
      if (gen !== this.generation || !this.running) return;
      this.generation++;
      this.deadline?.cancel();
      this.record(result);
      this.timer = ctx.clock.setTimer(trunk.options.interval * 1000, () => void this.ping());
    };
    this.deadline = ctx.clock.setTimer(this.opts.answerDeadlineMs ?? DEFAULT_ANSWER_DEADLINE_MS, () =>
      settle({ answered: false }),
    );
    let address: string | undefined;
    try {
      address = (await this.opts.resolve(trunk.host))[0];
    } catch (err) {
      this.log.debug({ err, host: trunk.host }, 'trunk host did not resolve');
    }
    if (gen !== this.generation) return;
    if (address === undefined) return settle({ answered: false });
    const self = accountAor(trunk) ?? {
      scheme: 'sip',
      user: 'hotline',
      host: ctx.domain,
      params: {},
      headers: {},
    };
    const uri = trunkUri(trunk);
    const req = buildRequest(ctx, trunk, {
      method: 'OPTIONS',
      uri,
      from: self,
      to: { ...uri, params: {} },
      callId: newCallId(),
      cseq: ++this.cseq,
    });
    // Any final answer, even 404 or 503, shows the far end is there.
    trySend(ctx, req, trunkEndpoint(trunk, address), () => settle({ answered: false }), {
      onResponse: (resp) => {
        if (resp.status >= 200) settle({ answered: true, status: resp.status });
      },
      onTimeout: () => settle({ answered: false }),
      onTransportError: () => settle({ answered: false }),
    });
  }

  private record(result: PingResult): void {
    const { state, changed } = stepHealth(
      this.state,
      result,
      this.opts.trunk.options.downAfter,
      this.opts.ctx.clock.now(),
    );
    this.state = state;
    if (changed) {
      if (state.phase === 'down')
        this.log.warn({ misses: state.misses }, 'trunk is down: OPTIONS unanswered');
      else this.log.info({ status: state.lastStatus }, 'trunk is up');
    }
    this.opts.onChange?.(state);
  }
}
