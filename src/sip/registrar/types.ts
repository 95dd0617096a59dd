import type { Endpoint } from '../message/types.js';

/** One contact bound to an address-of-record (RFC 3261 §10.3). */
export interface Binding {
  /** The extension number (user part of the AOR), e.g. "1001". */
  readonly aor: string;
  /** The Contact URI as written by the phone, serialized (no header params). */
  readonly contactUri: string;
  /** Absolute expiry, ms since the epoch. */
  readonly expiresAt: number;
  readonly callId: string;
  readonly cseq: number;
  /** Contact q-value, 0..1; undefined when the phone sent none. */
  readonly q?: number;
  /** Where the REGISTER came from: requests to this contact go here (NAT-friendly, RFC 5626 spirit). */
  readonly source: Endpoint;
  readonly userAgent?: string;
  /** +sip.instance, when the phone sent one. */
  readonly instanceId?: string;
  /** When the binding was last refreshed, ms since the epoch. */
  readonly updatedAt: number;
}

/** Durable storage for bindings, so registrations survive a restart. Implemented by store/. */
export interface BindingStore {
  loadAll(): Promise<Binding[]>;
  upsert(binding: Binding): Promise<void>;
  remove(aor: string, contactUri: string): Promise<void>;
  removeExpired(now: number): Promise<number>;
}
