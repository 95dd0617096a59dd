/**
 * The location service: the bindings of every AOR in memory, written through to a
 * BindingStore so that registrations survive a restart (DESIGN principle 5: a REGISTER
 * is answered 200 only after its bindings are durable).
 *
 * Requests for one AOR are applied one at a time, in arrival order, so two REGISTERs
 * racing through the store cannot lose an update. Different AORs proceed in parallel.
 */
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/log.js';
import { RegistrarError } from './errors.js';
import {
  processRegister,
  type RegisterInput,
  type RegisterOutcome,
  type RegistrarLimits,
  type UriComparator,
} from './process-register.js';
import type { Binding, BindingStore } from './types.js';

/** Called when the set of contacts of an AOR changes (not on a plain refresh). */
export type LocationListener = (aor: string, bindings: readonly Binding[]) => void;

/** A REGISTER as the location service takes it: the time comes from its clock. */
export type RegisterRequest = Omit<RegisterInput, 'now'>;

export interface LocationOptions {
  readonly store: BindingStore;
  readonly limits: RegistrarLimits;
  readonly clock: Clock;
  readonly log: Logger;
  /** Contact URI comparison; default `sameContactUri`. */
  readonly sameUri?: UriComparator;
}

/** Higher q first (absent q counts as 1.0), then the most recently refreshed. */
function byPreference(a: Binding, b: Binding): number {
  return (b.q ?? 1) - (a.q ?? 1) || b.updatedAt - a.updatedAt;
}

export class Location {
  private readonly byAor = new Map<string, readonly Binding[]>();
  /** Per-AOR tail of the queue of pending operations; never rejects. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly listeners = new Set<LocationListener>();

  constructor(private readonly opts: LocationOptions) {}

  /** Loads the store at start, dropping expired bindings (also from the store). Returns how many were kept. */
  async load(): Promise<number> {
    const now = this.opts.clock.now();
    const stored = await this.opts.store.loadAll();
    const grouped = new Map<string, Binding[]>();
    for (const b of stored) {
      if (b.expiresAt <= now) continue;
      const list = grouped.get(b.aor) ?? [];
      list.push(b);
      grouped.set(b.aor, list);
    }
    this.byAor.clear();
    for (const [aor, list] of grouped) this.byAor.set(aor, list);
    await this.opts.store.removeExpired(now);
    return [...grouped.values()].reduce((n, list) => n + list.length, 0);
  }

  /**
   * Applies a REGISTER and resolves once the store holds the result. A refusal (4xx/5xx
   * outcome) changes nothing. Rejects with RegistrarError REGISTRAR_STORE_FAILED when the
   * store fails; memory is then unchanged and the caller answers 500.
   */
  register(request: RegisterRequest): Promise<RegisterOutcome> {
    return this.serialize(request.aor, async () => {
      const existing = this.byAor.get(request.aor) ?? [];
      const input = { ...request, now: this.opts.clock.now() };
      const outcome = processRegister(input, existing, this.opts.limits, this.opts.sameUri);
      if (!outcome.ok) return outcome;
      await this.persist(request.aor, outcome);
      this.commit(request.aor, outcome.bindings, outcome.added.length + outcome.removed.length > 0);
      return outcome;
    });
  }

  /** The live bindings of an AOR, preferred first. */
  lookup(aor: string, now: number = this.opts.clock.now()): Binding[] {
    return (this.byAor.get(aor) ?? []).filter((b) => b.expiresAt > now).sort(byPreference);
  }

  /** Every live binding, for the qualifier and admin views. */
  all(now: number = this.opts.clock.now()): Binding[] {
    const out: Binding[] = [];
    for (const list of this.byAor.values()) for (const b of list) if (b.expiresAt > now) out.push(b);
    return out;
  }

  /** Number of AORs with at least one binding in memory. */
  get aorCount(): number {
    return this.byAor.size;
  }

  /** Removes expired bindings from memory and store; call periodically. Returns those removed. */
  async expire(now: number = this.opts.clock.now()): Promise<Binding[]> {
    const removed: Binding[] = [];
    const stale = [...this.byAor]
      .filter(([, list]) => list.some((b) => b.expiresAt <= now))
      .map(([aor]) => aor);
    await Promise.all(
      stale.map((aor) =>
        this.serialize(aor, async () => {
          const list = this.byAor.get(aor) ?? [];
          const keep = list.filter((b) => b.expiresAt > now);
          removed.push(...list.filter((b) => b.expiresAt <= now));
          this.commit(aor, keep, keep.length !== list.length);
        }),
      ),
    );
    await this.opts.store.removeExpired(now);
    return removed;
  }

  /** Subscribes to contact-set changes; returns the unsubscribe function. */
  onChange(listener: LocationListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private async persist(aor: string, outcome: Extract<RegisterOutcome, { ok: true }>): Promise<void> {
    const { store } = this.opts;
    try {
      // Removals first: an expired binding and its re-registration share the same key.
      await Promise.all(outcome.removed.map((b) => store.remove(b.aor, b.contactUri)));
      await Promise.all([...outcome.refreshed, ...outcome.added].map((b) => store.upsert(b)));
    } catch (err) {
      this.opts.log.error({ err, aor }, 'binding store failed; REGISTER not applied');
      throw new RegistrarError('REGISTRAR_STORE_FAILED', `binding store failed for ${aor}`, { aor }, err);
    }
  }

  private commit(aor: string, bindings: readonly Binding[], changed: boolean): void {
    if (bindings.length === 0) this.byAor.delete(aor);
    else this.byAor.set(aor, bindings);
    if (!changed) return;
    for (const listener of this.listeners) {
      try {
        listener(aor, bindings);
      } catch (err) {
        this.opts.log.error({ err, aor }, 'location listener threw');
      }
    }
  }

  private serialize<T>(aor: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(aor) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(aor, tail);
    void tail.then(() => {
      if (this.queues.get(aor) === tail) this.queues.delete(aor);
    });
    return run;
  }
}
