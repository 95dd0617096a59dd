/** Tone descriptions: what to play, how loud, and with what on/off rhythm. */

/** One on/off step of a cadence, in milliseconds. */
export interface CadenceStep {
  readonly onMs: number;
  readonly offMs: number;
}

export interface ToneSpec {
  /** One frequency, or several summed (e.g. 350 + 440 Hz), in Hz. */
  readonly frequencies: readonly number[];
  /** Level of each frequency component, in dBm0. */
  readonly levelDbm0: number;
  /** The on/off steps; empty for a continuous tone. */
  readonly cadence: readonly CadenceStep[];
  /** Repeat the cadence forever (default true); otherwise play it once, then silence. */
  readonly repeat?: boolean;
}

/** The call-progress tones of one country or region. */
export interface ToneProfile {
  /** `cn`, `us`, `eu`. */
  readonly id: string;
  readonly dial: ToneSpec;
  /** Ring-back (回铃音): what a caller hears while the far end rings. */
  readonly ringback: ToneSpec;
  readonly busy: ToneSpec;
  /** Congestion / reorder: the network or the trunk group is full. */
  readonly congestion: ToneSpec;
  readonly callWaiting: ToneSpec;
}

export type ToneName = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';
