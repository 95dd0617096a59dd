/** SIP trunks: registration, health, selection, channel accounting and dialling out. */
export { TrunkManager, trunkSettings, type TrunkManagerOptions, type TrunkRoute } from './manager.js';
export {
  dialViaTrunks,
  failsOver,
  trunkRequestUri,
  type TrunkAttempt,
  type TrunkDialer,
  type TrunkDialRequest,
  type TrunkDialResult,
} from './dial.js';
export { RegistrarClient, type RegistrarClientOptions } from './registrar-client.js';
export { HealthCheck, DEFAULT_ANSWER_DEADLINE_MS, type HealthCheckOptions } from './health-check.js';
export {
  selectTrunks,
  type LoadLookup,
  type Selection,
  type SelectionMemory,
  type SkipReason,
  type TrunkGroupSpec,
  type TrunkLoad,
  type TrunkSource,
} from './core/select.js';
export {
  DEFAULT_REGISTRATION_POLICY,
  initialRegistration,
  isRegistered,
  refreshDelayMs,
  registrationTransition,
  retryDelayMs,
  stepRegistration,
  type RegistrationEffect,
  type RegistrationEvent,
  type RegistrationPhase,
  type RegistrationPolicy,
  type RegistrationState,
} from './core/registration.js';
export {
  healthTransition,
  stepHealth,
  INITIAL_HEALTH,
  type HealthPhase,
  type HealthState,
  type PingResult,
} from './core/health.js';
export { presentCallerId, callerIdentity, type CallerIdentity, type Presentation } from './core/caller-id.js';
export { AllowList, normalizeAddress } from './core/allow-list.js';
export { grantedExpires, registerEvent } from './core/register-response.js';
export { systemResolver } from './sip-requests.js';
export { TrunkError, type TrunkErrorCode } from './errors.js';
export type {
  HealthStatus,
  HostResolver,
  RegistrationStatus,
  TrunkChannel,
  TrunkConfig,
  TrunkGroupConfig,
  TrunkSettings,
  TrunkStatus,
  TrunkTransport,
} from './types.js';
