/** Audio building blocks: WAV read/write, streaming recordings, resampling, mixing, levels. */
export {
  DBM0_RMS,
  DBM0_SINE_PEAK,
  FULL_SCALE,
  FULL_SCALE_SINE_DBM0,
  dbToGain,
  dbm0ToRms,
  dbm0ToSinePeak,
  rms,
  rmsDbfs,
  rmsDbm0,
} from './level.js';
export { accumulate, applyGain, applyGainDb, mixFrames, mixMinus, saturateInto } from './mix.js';
export { Resampler, resample, type ResamplerOptions } from './resample.js';
export { Downsampler2, Upsampler2 } from './halfband.js';
export {
  bytesPerSample,
  encodeWav,
  wavHeaderLength,
  writePcm16le,
  writeWavHeader,
  type WavEncoding,
  type WavSpec,
} from './wav-format.js';
export {
  MAX_WAV_RATE,
  MIN_WAV_RATE,
  channelOf,
  parseWav,
  toMono,
  type ParseWavResult,
  type WavAudio,
  type WavErrorCode,
} from './wav-read.js';
export {
  StreamingWavWriter,
  wavDataSha256,
  type RecordingSummary,
  type WavSink,
  type WavWriterOptions,
} from './wav-writer.js';
export { openWavFileSink } from './wav-file-sink.js';
