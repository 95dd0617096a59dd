/**
 * The trunk module's contract: trunks as configured, and what the manager reports about
 * each one (for the admin API and the routing that chooses trunks).
 */
import type { MediaCodec } from '../../platform/config/index.js';
import type { TrunkConfig, TrunkGroupConfig, TrunkTransport } from '../../platform/config/trunk-schema.js';
import type { HealthPhase } from './core/health.js';
import type { RegistrationPhase } from './core/registration.js';

export type { TrunkConfig, TrunkGroupConfig, TrunkTransport };

/** What the manager is built from: the `trunks` and `trunkGroups` sections and `media.codecs`. */
export interface TrunkSettings {
  readonly trunks: readonly TrunkConfig[];
  readonly trunkGroups: readonly TrunkGroupConfig[];
  /** Offered on trunks without `codecs` of their own. */
  readonly defaultCodecs: readonly MediaCodec[];
}

/** Resolves a host name to addresses (an IP literal resolves to itself). */
export type HostResolver = (host: string) => Promise<readonly string[]>;

export interface RegistrationStatus {
  readonly phase: RegistrationPhase;
  /** The registrar holds our binding now. */
  readonly registered: boolean;
  /** Until when (ms since the epoch), 0 when it holds none. */
  readonly registeredUntil: number;
  /** When the next refresh or retry is due (ms since the epoch), 0 when none is. */
  readonly nextAttemptAt: number;
  readonly failures: number;
  readonly lastFailure?: string;
}

export interface HealthStatus {
  /** False when `options.interval` is 0: the trunk is then never marked down. */
  readonly enabled: boolean;
  readonly phase: HealthPhase;
  readonly misses: number;
  readonly lastReplyAt: number;
  readonly lastStatus?: number;
}

/** One trunk as the admin API shows it. */
export interface TrunkStatus {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: TrunkTransport;
  /** The addresses the host resolved to last. */
  readonly addresses: readonly string[];
  /** Null for an IP-authenticated trunk (no `register`). */
  readonly registration: RegistrationStatus | null;
  readonly health: HealthStatus;
  readonly channels: { readonly inUse: number; readonly max: number | null };
  /** Whether outbound calls may be sent to it now (not down, registration not lost). */
  readonly usable: boolean;
}

/** A channel held on a trunk for one call; release it when the call leg ends. */
export interface TrunkChannel {
  readonly trunk: string;
  /** Gives the channel back; calling it again does nothing. */
  release(): void;
}
