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
  type LogLevel,
  type AuthAlgorithm,
} from './schema.js';
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
