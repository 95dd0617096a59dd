/**
 * Merges the digits of one call leg from its three possible sources into one stream for
 * call control, each stamped with the leg.
 *
 * Policy (what PBXs converge on, e.g. Asterisk's dtmf_mode=auto):
 * - RFC 4733 wins over in-band. A phone that sends telephone-events usually also leaves
 *   (or lets a gateway leave) the tones in its audio, so the detector would report every
 *   key twice. The first telephone-event packet on the leg — `noteTelephoneEvent()`, called
 *   by the media worker on the first packet, before any press is complete — switches
 *   in-band detection off for the rest of the leg (`inbandEnabled` tells the worker to stop
 *   running the detector); any in-band digit reported after that is dropped.
 * - The same digit from two different sources within `duplicateWindowMs` of each other's
 *   start is one press (a phone sending both INFO and RFC 4733, or an in-band digit that
 *   completed before the first telephone-event packet arrived): the first report wins.
 * Times are compared as given, so the worker must stamp audio frames, RTP arrivals and
 * INFO receipt from the same clock.
 */
import type { DigitEvent, DigitSource } from './types.js';

export type LegDigitEvent = DigitEvent & { readonly legId: string };

export interface DtmfCollectorOptions {
  readonly legId: string;
  /** Same digit from another source starting within this many ms is a duplicate (300). */
  readonly duplicateWindowMs?: number;
}

export interface DtmfCollectorStats {
  accepted: number;
  /** In-band digits dropped because the leg sends RFC 4733. */
  inbandSuppressed: number;
  /** Digits dropped as another source's report of the same press. */
  duplicates: number;
}

interface Seen {
  readonly digit: string;
  readonly source: DigitSource;
  readonly timeMs: number;
}

const REMEMBERED = 8;

export class DtmfCollector {
  readonly legId: string;
  readonly stats: DtmfCollectorStats = { accepted: 0, inbandSuppressed: 0, duplicates: 0 };
  private readonly duplicateWindowMs: number;
  private inband = true;
  private readonly recent: Seen[] = [];

  constructor(options: DtmfCollectorOptions) {
    this.legId = options.legId;
    this.duplicateWindowMs = options.duplicateWindowMs ?? 300;
  }

  /** Whether the leg still needs in-band detection. */
  get inbandEnabled(): boolean {
    return this.inband;
  }

  /** A telephone-event packet arrived on this leg: in-band detection is no longer wanted. */
  noteTelephoneEvent(): void {
    this.inband = false;
  }

  /** Offers one digit; returns it stamped with the leg, or undefined when it is suppressed. */
  accept(event: DigitEvent): LegDigitEvent | undefined {
    if (event.source === 'rfc4733') this.inband = false;
    else if (event.source === 'inband' && !this.inband) {
      this.stats.inbandSuppressed++;
      return undefined;
    }
    const twin = this.recent.find(
      (s) =>
        s.digit === event.digit &&
        s.source !== event.source &&
        Math.abs(s.timeMs - event.timeMs) <= this.duplicateWindowMs,
    );
    if (twin) {
      this.stats.duplicates++;
      return undefined;
    }
    this.recent.push({ digit: event.digit, source: event.source, timeMs: event.timeMs });
    if (this.recent.length > REMEMBERED) this.recent.shift();
    this.stats.accepted++;
    return { ...event, legId: this.legId };
  }
}
