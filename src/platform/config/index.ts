/** Configuration: the schema, loading and validation, and the first-run demo file. */
export {
  configSchema,
  LOG_LEVELS,
  AUTH_ALGORITHMS,
  DEFAULT_BLOCKED_USER_AGENTS,
  type Config,
  type ConfigInput,
  type SipConfig,
  type RtpConfig,
  type ExtensionConfig,
  type RegistrarConfig,
  type CallsConfig,
  type LimitsConfig,
  type SecurityConfig,
  type MediaConfig,
  type RecordingConfig,
  type MusicOnHoldConfig,
  type TtsConfig,
  type MediaCodec,
  type ToneCountry,
  type PromptLanguage,
  type LogLevel,
  type AuthAlgorithm,
} from './schema.js';
export {
  MEDIA_CODECS,
  TONE_COUNTRIES,
  PROMPT_LANGUAGES,
  DEFAULT_MOH_CLASS,
  DEFAULT_TTS_VOICES,
  TTS_RATE_RANGE,
  MAX_DEFAULT_MEDIA_WORKERS,
  defaultMediaWorkers,
} from './media-schema.js';
export { FEATURE_CODE_KEYS } from './checks.js';
export { dataPath, recordingDir } from './paths.js';
export { loadConfigFile, parseConfig, configDefaults } from './load.js';
export { formatProblems, formatPath } from './problems.js';
export {
  ensureDemoConfig,
  demoConfigText,
  generatePassword,
  DEMO_CONFIG_FILE,
  DEMO_EXTENSIONS,
  type DemoConfigResult,
  type DemoConfigOptions,
} from './demo.js';
