/**
 * Extension features: forwarding, do not disturb, call waiting, find-me, ring groups, call
 * pickup and the feature codes phones dial to set them. Pure decisions in plan.ts,
 * ring-group.ts, chain.ts and codes.ts; the runtime over call control in the other files.
 */
export { follow, destinationOf, startChain, MAX_FORWARD_HOPS } from './chain.js';
export {
  afterRinging,
  busyTreatment,
  noAnswerTreatment,
  planCall,
  ringStages,
  type PlanInput,
} from './plan.js';
export {
  ringGroupFallback,
  ringGroupPlan,
  type RingGroup,
  type RingGroupPlan,
  type RingGroupStrategy,
  type SkipReason,
} from './ring-group.js';
export {
  DEFAULT_FEATURE_CODES,
  matchFeature,
  type FeatureCodes,
  type FeatureDialplan,
  type FeatureRoute,
} from './codes.js';
export {
  effectiveFeatures,
  featureSettings,
  MemoryFeatureState,
  settingsOf,
  type ExtensionFeatureConfig,
  type FeatureSettings,
} from './settings.js';
export {
  pickupCandidates,
  RingingRegistry,
  takeFirst,
  type PickupRequest,
  type PickupResult,
  type RingingCall,
  type TakeCall,
} from './pickup.js';
export { Ringer, type DialExternal, type ExternalDialResult, type RingOutcome } from './ringer.js';
export {
  availabilityOf,
  featuresOf,
  onCall,
  type FeatureDeps,
  type VoicemailPort,
  type RouteDestination,
} from './deps.js';
export { routeCall } from './extension-route.js';
export { routeFeatureCall, toggleChange } from './feature-call.js';
export type * from './types.js';
