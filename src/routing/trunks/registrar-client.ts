/**
 * Registers Hotline with a trunk's registrar (RFC 3261 §10.2): the I/O side of the pure
 * registration machine in core/registration.ts. Sends REGISTER through the transaction layer
 * (From/To the account, Contact Hotline's address, one Call-ID for every refresh and CSeq
 * counting up, §10.2.4), answers 401/407 with the DigestClient, refreshes before the binding
 * runs out, retries with backoff, and removes the binding (Expires: 0) on stop.
 */
import { trySend, type SipContext } from '../../call/index.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import type { TrunkConfig } from '../../platform/config/trunk-schema.js';
import { DigestClient } from '../../sip/auth/index.js';
import { formatUri, getHeaders, newCallId } from '../../sip/message/index.js';
import type { Endpoint, SipResponse, SipUri } from '../../sip/message/types.js';
import { challengeHeaders, registerEvent } from './core/register-response.js';
import {
  DEFAULT_REGISTRATION_POLICY,
  initialRegistration,
  isRegistered,
  stepRegistration,
  type RegistrationEffect,
  type RegistrationEvent,
  type RegistrationPolicy,
  type RegistrationState,
} from './core/registration.js';
import { TrunkError } from './errors.js';
import { accountAor, buildRequest, ourContact, registerUri, trunkEndpoint } from './sip-requests.js';

export interface RegistrarClientOptions {
  readonly ctx: SipContext;
  readonly trunk: TrunkConfig;
  /** Resolves the trunk's host; called before every REGISTER, so DNS changes are followed. */
  readonly resolve: (host: string) => Promise<readonly string[]>;
  readonly rng?: () => number;
  /** Overrides of the timing rules (tests); `expires` comes from the trunk's configuration. */
  readonly policy?: Partial<Omit<RegistrationPolicy, 'expires'>>;
  /** Called after every change of state. */
  readonly onChange?: (state: RegistrationState) => void;
  /** How long stop() waits for the registrar to confirm the removal, ms. Default 2000. */
  readonly stopTimeoutMs?: number;
}

interface Challenge {
  readonly status: 401 | 407;
  readonly values: readonly string[];
}

export class RegistrarClient {
  private state: RegistrationState;
  private readonly policy: RegistrationPolicy;
  private readonly callId = newCallId();
  private cseq = 0;
  private challenge: Challenge | undefined;
  private readonly digest = new DigestClient();
  private timer: TimerHandle | undefined;
  /** Bumped for every REGISTER sent: answers to an older one are ignored. */
  private generation = 0;
  private stopWaiters: Array<() => void> = [];
  private readonly log: Logger;
  private contact: SipUri | undefined;

  constructor(private readonly opts: RegistrarClientOptions) {
    const reg = opts.trunk.register;
    if (!reg) {
      throw new TrunkError('TRUNK_NO_ACCOUNT', `trunk ${opts.trunk.name} has no register section`, {
        trunk: opts.trunk.name,
      });
    }
    this.policy = { ...DEFAULT_REGISTRATION_POLICY, ...opts.policy, expires: reg.expires };
    this.state = initialRegistration(this.policy);
    this.log = opts.ctx.logger.child({ trunk: opts.trunk.name });
  }

  get snapshot(): RegistrationState {
    return this.state;
  }

  /** The binding is held at the registrar now. */
  get registered(): boolean {
    return isRegistered(this.state, this.opts.ctx.clock.now());
  }

  /** The user part of the Contact Hotline registers (the account user name). */
  get contactUser(): string {
    return this.opts.trunk.register?.username ?? '';
  }

  start(): void {
    if (this.state.phase === 'unregistered') this.apply({ type: 'start' });
  }

  /** Removes the binding (REGISTER with Expires: 0); resolves when the registrar answered, or after a short wait. */
  stop(): Promise<void> {
    this.apply({ type: 'stop' });
    if (this.state.phase === 'unregistered') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.opts.ctx.clock.setTimer(this.opts.stopTimeoutMs ?? 2000, () => {
        this.generation++; // a late answer changes nothing now
        this.apply({ type: 'unreachable' });
      });
      this.stopWaiters.push(() => {
        timer.cancel();
        resolve();
      });
    });
  }

  private finishStop(): void {
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const w of waiters) w();
  }

  private apply(event: RegistrationEvent): void {
    const before = this.state;
    let result;
    try {
      result = stepRegistration(before, event, {
        now: this.opts.ctx.clock.now(),
        rng: this.opts.rng ?? Math.random,
        policy: this.policy,
      });
    } catch (err) {
      // An event the machine does not expect here (a late timer, say): report it, change nothing.
      this.log.error({ err, phase: before.phase, event: event.type }, 'registration event refused');
      return;
    }
    this.state = result.state;
    this.report(before, event);
    for (const effect of result.effects) this.run(effect);
    if (this.state.phase === 'unregistered' && this.stopWaiters.length > 0) this.finishStop();
    this.opts.onChange?.(this.state);
  }

  private report(before: RegistrationState, event: RegistrationEvent): void {
    const s = this.state;
    if (s.phase === before.phase && event.type !== 'ok') return;
    if (s.phase === 'registered' && event.type === 'ok') {
      this.log.info(
        { granted: event.granted },
        before.phase === 'refreshing' ? 'trunk registration refreshed' : 'trunk registered',
      );
    } else if (s.phase === 'failed') {
      this.log.warn(
        { why: s.lastFailure, failures: s.failures, retryInMs: s.nextAttemptAt - this.opts.ctx.clock.now() },
        'trunk registration failed',
      );
    } else if (s.phase === 'unregistered' && before.phase === 'unregistering') {
      this.log.info('trunk unregistered');
    }
  }

  private run(effect: RegistrationEffect): void {
    switch (effect.kind) {
      case 'clearTimer':
        this.timer?.cancel();
        this.timer = undefined;
        return;
      case 'timer': {
        this.timer?.cancel();
        const event = effect.event;
        this.timer = this.opts.ctx.clock.setTimer(effect.ms, () => {
          this.timer = undefined;
          this.apply({ type: event });
        });
        return;
      }
      case 'send':
        void this.send(effect.expires, effect.authorize);
        return;
    }
  }

  private async send(expires: number, authorize: boolean): Promise<void> {
    const gen = ++this.generation;
    const seq = ++this.cseq;
    const { trunk, ctx } = this.opts;
    let dest: Endpoint;
    try {
      const addresses = await this.opts.resolve(trunk.host);
      if (addresses.length === 0) throw new Error('no address');
      dest = trunkEndpoint(trunk, addresses[0]!);
    } catch (err) {
      if (gen !== this.generation) return;
      this.log.warn({ err, host: trunk.host }, 'trunk host did not resolve');
      this.apply({ type: 'unreachable' });
      return;
    }
    if (gen !== this.generation) return;
    const aor = accountAor(trunk)!;
    this.contact = ourContact(ctx, trunk, this.contactUser);
    const uri = registerUri(trunk);
    const headers = [{ name: 'Expires', value: String(expires) }];
    const credentials = authorize ? this.credentials(uri) : undefined;
    if (credentials) headers.push(credentials);
    const req = buildRequest(ctx, trunk, {
      method: 'REGISTER',
      uri,
      from: aor,
      to: aor,
      callId: this.callId,
      cseq: seq,
      contact: this.contact,
      headers,
    });
    const mine = (fn: () => void) => () => {
      if (gen === this.generation) fn();
    };
    trySend(
      ctx,
      req,
      dest,
      mine(() => this.apply({ type: 'unreachable' })),
      {
        onResponse: (resp) => {
          if (resp.status >= 200 && gen === this.generation) this.onFinal(resp, expires);
        },
        onTimeout: mine(() => this.apply({ type: 'unreachable' })),
        onTransportError: mine(() => this.apply({ type: 'unreachable' })),
      },
    );
  }

  /** The Authorization / Proxy-Authorization answering the last challenge, if there was one. */
  private credentials(uri: SipUri): { name: string; value: string } | undefined {
    const ch = this.challenge;
    const reg = this.opts.trunk.register;
    if (!ch || !reg) return undefined;
    try {
      const value = this.digest.authorize({
        challengeHeader: ch.values,
        method: 'REGISTER',
        uri: formatUri(uri),
        username: reg.authUsername ?? reg.username,
        password: reg.password,
      });
      return { name: challengeHeaders(ch.status).credentials, value };
    } catch (err) {
      this.log.warn({ err }, 'cannot answer the registrar challenge');
      return undefined;
    }
  }

  private onFinal(resp: SipResponse, requested: number): void {
    if (resp.status === 401 || resp.status === 407) {
      this.challenge = {
        status: resp.status,
        values: getHeaders(resp, challengeHeaders(resp.status).challenge),
      };
    }
    this.apply(registerEvent(resp, this.contact ?? accountAor(this.opts.trunk)!, requested));
  }
}
