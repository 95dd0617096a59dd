/**
 * The configuration while Hotline runs: one frozen Config at a time, replaced whole when the
 * file is reloaded (`hotline reload` or SIGHUP). Readers take `live.current` when they need
 * it (per call), so a reload affects new calls and calls in progress keep what they started
 * with. Sections that only take effect at start (ports, database, workers) are reported as
 * needing a restart and left as they were.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.js';

export type ConfigSection = keyof Config;

/** What a start binds or opens once: changing these needs a restart. */
export const RESTART_SECTIONS: readonly ConfigSection[] = ['sip', 'rtp', 'database', 'media', 'log'];

export interface ReloadReport {
  /** Sections that differ and were applied. */
  readonly applied: readonly ConfigSection[];
  /** Sections that differ but need a restart; the running values stay. */
  readonly needRestart: readonly ConfigSection[];
}

type Listener = (next: Config, previous: Config, changed: ReadonlySet<ConfigSection>) => void;

export class LiveConfig {
  private config: Config;
  private readonly listeners: Listener[] = [];

  constructor(initial: Config) {
    this.config = initial;
  }

  get current(): Config {
    return this.config;
  }

  /** Called after each reload that changed something, with the sections that changed. */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /**
   * Takes a new, already validated configuration. Sections that need a restart keep their
   * running values (so `current` never claims a port it is not on); the rest are swapped in
   * and every listener hears of it. A listener that throws does not stop the others; its
   * error is returned to the caller to log.
   */
  apply(next: Config): ReloadReport & { readonly errors: readonly unknown[] } {
    const previous = this.config;
    const sections = Object.keys(next) as ConfigSection[];
    const changed = sections.filter((k) => !isDeepStrictEqual(previous[k], next[k]));
    const needRestart = changed.filter((k) => RESTART_SECTIONS.includes(k));
    const applied = changed.filter((k) => !RESTART_SECTIONS.includes(k));
    if (applied.length === 0) return { applied, needRestart, errors: [] };
    const merged = { ...next } as Record<ConfigSection, unknown>;
    for (const k of needRestart) merged[k] = previous[k];
    this.config = Object.freeze(merged) as Config;
    const errors: unknown[] = [];
    const set = new Set(applied);
    for (const listener of this.listeners) {
      try {
        listener(this.config, previous, set);
      } catch (err) {
        errors.push(err);
      }
    }
    return { applied, needRestart, errors };
  }
}
