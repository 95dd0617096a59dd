/**
 * Call-progress tones by country. China is the default.
 *
 * Certainty, stated plainly:
 * - China (cn): 450 Hz everywhere; dial continuous, ring-back 1 s on / 4 s off, busy
 *   0.35/0.35 s, congestion 0.7/0.7 s, call waiting 0.4 s on / 4 s off — the values of the
 *   Chinese network's tone plan as operators and PBXs (Asterisk's `cn` indications) use
 *   them; REFERENCE.md confirms ring-back and busy. Levels: the plan's −10 dBm0 is used for
 *   all; the call-waiting level is less certain (some sources give −20 dBm0).
 * - United States (us): the North American "precise tone plan" — dial 350+440 Hz at
 *   −13 dBm0, ring-back 440+480 Hz 2/4 s at −19 dBm0, busy 480+620 Hz 0.5/0.5 s and reorder
 *   (congestion) 480+620 Hz 0.25/0.25 s at −24 dBm0 per component. Call waiting 440 Hz
 *   0.3 s then 9.7 s silence at −13 dBm0 is the common PBX rendering; carriers vary it.
 * - Europe (eu): the ETSI/CEPT harmonised plan — 425 Hz, dial continuous, ring-back
 *   1/4 s, busy 0.5/0.5 s. Congestion 0.2/0.2 s and call waiting 0.2 on 0.2 off 0.2 on
 *   4 s off follow the ETSI recommendation as far as we know it (national plans differ,
 *   e.g. Germany 0.24/0.24 congestion); the −10 dBm0 level is a typical value, not a
 *   quoted one.
 */
import type { ToneName, ToneProfile, ToneSpec } from './types.js';

function tone(frequencies: readonly number[], levelDbm0: number, ...steps: [number, number][]): ToneSpec {
  return Object.freeze({
    frequencies: Object.freeze([...frequencies]),
    levelDbm0,
    cadence: Object.freeze(steps.map(([onMs, offMs]) => Object.freeze({ onMs, offMs }))),
    repeat: true,
  });
}

export const CHINA_TONES: ToneProfile = Object.freeze({
  id: 'cn',
  dial: tone([450], -10),
  ringback: tone([450], -10, [1000, 4000]),
  busy: tone([450], -10, [350, 350]),
  congestion: tone([450], -10, [700, 700]),
  callWaiting: tone([450], -10, [400, 4000]),
});

export const US_TONES: ToneProfile = Object.freeze({
  id: 'us',
  dial: tone([350, 440], -13),
  ringback: tone([440, 480], -19, [2000, 4000]),
  busy: tone([480, 620], -24, [500, 500]),
  congestion: tone([480, 620], -24, [250, 250]),
  callWaiting: tone([440], -13, [300, 9700]),
});

export const EU_TONES: ToneProfile = Object.freeze({
  id: 'eu',
  dial: tone([425], -10),
  ringback: tone([425], -10, [1000, 4000]),
  busy: tone([425], -10, [500, 500]),
  congestion: tone([425], -10, [200, 200]),
  callWaiting: tone([425], -10, [200, 200], [200, 4000]),
});

export const TONE_PROFILES: Readonly<Record<string, ToneProfile>> = Object.freeze({
  cn: CHINA_TONES,
  us: US_TONES,
  eu: EU_TONES,
});

export const DEFAULT_TONE_PROFILE = CHINA_TONES;

/** The profile for a country id (case-insensitive), or undefined when we have none. */
export function toneProfile(id: string): ToneProfile | undefined {
  return Object.hasOwn(TONE_PROFILES, id.toLowerCase()) ? TONE_PROFILES[id.toLowerCase()] : undefined;
}

export const TONE_NAMES: readonly ToneName[] = ['dial', 'ringback', 'busy', 'congestion', 'callWaiting'];
