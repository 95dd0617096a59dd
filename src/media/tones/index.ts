/** Tones: call-progress tones by country profile, and the generated music on hold. */
export { cadenceGain, compileTone, renderTone, renderToneSamples, type CompiledTone } from './generator.js';
export {
  CHINA_TONES,
  DEFAULT_TONE_PROFILE,
  EU_TONES,
  TONE_NAMES,
  TONE_PROFILES,
  US_TONES,
  toneProfile,
} from './profiles.js';
export { renderMusicOnHold, renderMusicOnHoldWav, type MusicOnHoldOptions } from './moh.js';
export type { CadenceStep, ToneName, ToneProfile, ToneSpec } from './types.js';
