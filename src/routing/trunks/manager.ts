/**
 * TrunkManager: every configured trunk at run time — its registration, its OPTIONS health,
 * the channels in use, the addresses its host resolves to — and the questions routing asks:
 * which trunks to try for a call (select), may a call take a channel (acquire), and which
 * trunk did an inbound request come from (identify).
 */
import type { SipContext } from '../../call/index.js';
import type { MediaCodec } from '../../platform/config/index.js';
import type { Logger } from '../../platform/log.js';
import type { Endpoint, SipUri } from '../../sip/message/types.js';
import { AllowList } from './core/allow-list.js';
import { INITIAL_HEALTH } from './core/health.js';
import { isRegistered, type RegistrationPolicy } from './core/registration.js';
import { selectTrunks, type Selection, type SelectionMemory, type TrunkLoad } from './core/select.js';
import { TrunkError } from './errors.js';
import { HealthCheck } from './health-check.js';
import { RegistrarClient } from './registrar-client.js';
import { systemResolver, trunkEndpoint } from './sip-requests.js';
import type {
  HostResolver,
  TrunkChannel,
  TrunkConfig,
  TrunkGroupConfig,
  TrunkSettings,
  TrunkStatus,
} from './types.js';

export interface TrunkManagerOptions {
  readonly ctx: SipContext;
  readonly settings: TrunkSettings;
  readonly logger?: Logger;
  /** Random source for weighted selection and retry jitter; default Math.random. */
  readonly rng?: () => number;
  /** Default: the system resolver (getaddrinfo). */
  readonly resolve?: HostResolver;
  /** Overrides of the registration timing rules (tests). */
  readonly registrationPolicy?: Partial<Omit<RegistrationPolicy, 'expires'>>;
  /** How long an OPTIONS ping may go unanswered before it counts as missed, ms. */
  readonly answerDeadlineMs?: number;
}

/** What dialling needs to know about one trunk. */
export interface TrunkRoute {
  readonly config: TrunkConfig;
  /** The trunk's codecs, or `media.codecs`. */
  readonly codecs: readonly MediaCodec[];
}

/** One trunk at run time. Leases keep a reference, so a trunk removed by reload still counts down. */
class TrunkRuntime {
  inUse = 0;
  addresses: readonly string[] = [];
  allow: AllowList;
  registration: RegistrarClient | undefined;
  health: HealthCheck | undefined;

  constructor(public config: TrunkConfig) {
    this.allow = new AllowList(config.allow ?? []);
  }

  /**
   * An explicit allow-list takes any port of its addresses. Without one, a request must come
   * from where the host resolves to and, over UDP, from the trunk's own port: so that phones
   * on the same host as a gateway are never taken for it.
   */
  allows(address: string, port?: number): boolean {
    if (this.config.allow !== undefined) return this.allow.has(address);
    if (!new AllowList(this.addresses).has(address)) return false;
    return port === undefined || this.config.transport === 'tcp' || port === this.config.port;
  }
}

/** Parts of a trunk whose change needs a new registration and health check. */
function signalling(t: TrunkConfig): string {
  return JSON.stringify([t.host, t.port, t.transport, t.register ?? null]);
}

export class TrunkManager {
  private readonly trunks = new Map<string, TrunkRuntime>();
  private groups = new Map<string, TrunkGroupConfig>();
  private defaultCodecs: readonly MediaCodec[];
  private memory: SelectionMemory = new Map();
  private readonly resolver: HostResolver;
  private readonly rng: () => number;
  private readonly log: Logger;
  private started = false;
  private stopped = false;

  constructor(private readonly opts: TrunkManagerOptions) {
    this.resolver = opts.resolve ?? systemResolver;
    this.rng = opts.rng ?? Math.random;
    this.log = opts.logger ?? opts.ctx.logger;
    this.defaultCodecs = opts.settings.defaultCodecs;
    for (const t of opts.settings.trunks) this.trunks.set(t.name, new TrunkRuntime(t));
    this.groups = new Map(opts.settings.trunkGroups.map((g) => [g.name, g]));
  }

  /** Starts every registration and health check. */
  start(): void {
    if (this.stopped) throw new TrunkError('TRUNK_MANAGER_STOPPED', 'the trunk manager was stopped');
    if (this.started) return;
    this.started = true;
    for (const rt of this.trunks.values()) this.startTrunk(rt);
    if (this.trunks.size > 0) this.log.info({ trunks: [...this.trunks.keys()] }, 'trunks started');
  }

  /** Unregisters every trunk and stops the health checks. Calls in progress are not touched. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.trunks.values()].map((rt) => this.stopTrunk(rt)));
  }

  /**
   * Applies a changed trunk list. Trunks whose host, port, transport or registration changed
   * register anew; removed trunks unregister; the rest keep their state. Calls in progress go
   * on, and their channels are given back to whichever trunk they were taken from.
   */
  async reload(settings: TrunkSettings): Promise<void> {
    this.defaultCodecs = settings.defaultCodecs;
    const next = new Map(settings.trunks.map((t) => [t.name, t]));
    const work: Promise<void>[] = [];
    for (const [name, rt] of this.trunks) {
      if (next.has(name)) continue;
      this.trunks.delete(name);
      work.push(this.stopTrunk(rt));
      this.log.info({ trunk: name }, 'trunk removed');
    }
    for (const cfg of settings.trunks) {
      const rt = this.trunks.get(cfg.name);
      if (!rt) {
        const added = new TrunkRuntime(cfg);
        this.trunks.set(cfg.name, added);
        if (this.started && !this.stopped) this.startTrunk(added);
        this.log.info({ trunk: cfg.name }, 'trunk added');
        continue;
      }
      const restart =
        signalling(rt.config) !== signalling(cfg) ||
        JSON.stringify(rt.config.options) !== JSON.stringify(cfg.options);
      if (restart) {
        work.push(
          this.stopTrunk(rt).then(() => {
            rt.config = cfg;
            rt.allow = new AllowList(cfg.allow ?? []);
            if (this.started && !this.stopped) this.startTrunk(rt);
          }),
        );
      } else {
        rt.config = cfg;
        rt.allow = new AllowList(cfg.allow ?? []);
      }
    }
    this.groups = new Map(settings.trunkGroups.map((g) => [g.name, g]));
    await Promise.all(work);
  }

  private startTrunk(rt: TrunkRuntime): void {
    const resolve = (host: string) => this.resolve(rt, host);
    void resolve(rt.config.host).catch((err: unknown) =>
      this.log.warn({ err, trunk: rt.config.name, host: rt.config.host }, 'trunk host did not resolve'),
    );
    if (rt.config.register) {
      rt.registration = new RegistrarClient({
        ctx: this.opts.ctx,
        trunk: rt.config,
        resolve,
        rng: this.rng,
        ...(this.opts.registrationPolicy ? { policy: this.opts.registrationPolicy } : {}),
      });
      rt.registration.start();
    }
    rt.health = new HealthCheck({
      ctx: this.opts.ctx,
      trunk: rt.config,
      resolve,
      ...(this.opts.answerDeadlineMs !== undefined ? { answerDeadlineMs: this.opts.answerDeadlineMs } : {}),
    });
    rt.health.start();
  }

  private async stopTrunk(rt: TrunkRuntime): Promise<void> {
    rt.health?.stop();
    const reg = rt.registration;
    rt.registration = undefined;
    await reg?.stop();
  }

  private async resolve(rt: TrunkRuntime, host: string): Promise<readonly string[]> {
    const addresses = await this.resolver(host);
    if (host === rt.config.host) rt.addresses = addresses;
    return addresses;
  }

  // --- questions -------------------------------------------------------------------------

  has(name: string): boolean {
    return this.trunks.has(name);
  }

  /** Names of the configured trunks, in configuration order. */
  names(): string[] {
    return [...this.trunks.keys()];
  }

  state(name: string): TrunkStatus | undefined {
    const rt = this.trunks.get(name);
    return rt ? this.status(rt) : undefined;
  }

  states(): TrunkStatus[] {
    return [...this.trunks.values()].map((rt) => this.status(rt));
  }

  private status(rt: TrunkRuntime): TrunkStatus {
    const now = this.opts.ctx.clock.now();
    const c = rt.config;
    const reg = rt.registration?.snapshot;
    const health = rt.health?.snapshot ?? INITIAL_HEALTH;
    const registered = reg ? isRegistered(reg, now) : false;
    const registration = c.register
      ? {
          phase: reg?.phase ?? 'unregistered',
          registered,
          registeredUntil: reg?.registeredUntil ?? 0,
          nextAttemptAt: reg?.nextAttemptAt ?? 0,
          failures: reg?.failures ?? 0,
          ...(reg?.lastFailure !== undefined ? { lastFailure: reg.lastFailure } : {}),
        }
      : null;
    // A registration that failed and whose binding has run out means the carrier will neither
    // send us calls nor, usually, take ours.
    const lost = registration !== null && registration.phase === 'failed' && !registered;
    return {
      name: c.name,
      host: c.host,
      port: c.port,
      transport: c.transport,
      addresses: rt.addresses,
      registration,
      health: {
        enabled: c.options.interval > 0,
        phase: health.phase,
        misses: health.misses,
        lastReplyAt: health.lastReplyAt,
        ...(health.lastStatus !== undefined ? { lastStatus: health.lastStatus } : {}),
      },
      channels: { inUse: rt.inUse, max: c.maxChannels ?? null },
      usable: health.phase !== 'down' && !lost,
    };
  }

  private load(name: string): TrunkLoad | undefined {
    const rt = this.trunks.get(name);
    if (!rt) return undefined;
    return {
      usable: this.status(rt).usable,
      inUse: rt.inUse,
      ...(rt.config.maxChannels !== undefined ? { maxChannels: rt.config.maxChannels } : {}),
    };
  }

  /**
   * The trunks to try, in order, for a trunk group (by name), a trunk (by name), or a list
   * of trunk names tried in that order. Round-robin positions are remembered per group.
   */
  select(target: string | readonly string[]): Selection {
    const source =
      typeof target === 'string'
        ? (this.groups.get(target) ?? (this.trunks.has(target) ? [target] : undefined))
        : target;
    if (source === undefined) {
      throw new TrunkError('TRUNK_UNKNOWN', `no trunk or trunk group named "${String(target)}"`, { target });
    }
    const selection = selectTrunks(source, (n) => this.load(n), this.rng, this.memory);
    this.memory = selection.memory;
    return selection;
  }

  /** Takes a channel on the trunk; undefined when the trunk is unknown or every channel is busy. */
  acquire(name: string): TrunkChannel | undefined {
    const rt = this.trunks.get(name);
    if (!rt) return undefined;
    const max = rt.config.maxChannels;
    if (max !== undefined && rt.inUse >= max) return undefined;
    rt.inUse++;
    let released = false;
    return {
      trunk: name,
      release: () => {
        if (released) return;
        released = true;
        rt.inUse--;
      },
    };
  }

  /** What dialling through the trunk needs; undefined for an unknown trunk. */
  route(name: string): TrunkRoute | undefined {
    const rt = this.trunks.get(name);
    if (!rt) return undefined;
    return { config: rt.config, codecs: rt.config.codecs ?? this.defaultCodecs };
  }

  /** Where to send the trunk's INVITEs now (its host resolved afresh); undefined when it does not resolve. */
  async destination(name: string): Promise<Endpoint | undefined> {
    const rt = this.trunks.get(name);
    if (!rt) return undefined;
    try {
      const [address] = await this.resolve(rt, rt.config.host);
      return address === undefined ? undefined : trunkEndpoint(rt.config, address);
    } catch (err) {
      this.log.warn({ err, trunk: name, host: rt.config.host }, 'trunk host did not resolve');
      return undefined;
    }
  }

  /**
   * The trunk an inbound request came from, or undefined. The source must be one the trunk
   * allows (see `allows`); among those, a trunk that registered the Contact user the
   * Request-URI carries is preferred, then the first in configuration order. A request from
   * anywhere else is never a trunk's, whatever its Request-URI says: it has to authenticate.
   */
  identify(
    source: string | { readonly address: string; readonly port?: number },
    requestUri: SipUri,
  ): string | undefined {
    const { address, port } = typeof source === 'string' ? { address: source, port: undefined } : source;
    const now = this.opts.ctx.clock.now();
    const allowed = [...this.trunks.values()].filter((rt) => rt.allows(address, port));
    const byContact = (rt: TrunkRuntime) =>
      rt.registration !== undefined &&
      requestUri.user !== undefined &&
      requestUri.user === rt.registration.contactUser &&
      isRegistered(rt.registration.snapshot, now);
    return (allowed.find(byContact) ?? allowed[0])?.config.name;
  }
}

/** The manager's settings from a loaded configuration. */
export function trunkSettings(config: {
  readonly trunks: readonly TrunkConfig[];
  readonly trunkGroups: readonly TrunkGroupConfig[];
  readonly media: { readonly codecs: readonly MediaCodec[] };
}): TrunkSettings {
  return { trunks: config.trunks, trunkGroups: config.trunkGroups, defaultCodecs: config.media.codecs };
}
