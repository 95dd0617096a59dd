/** Public surface of the registrar: REGISTER decisions, the location service and the qualifier. */
export type { Binding, BindingStore } from './types.js';
export {
  processRegister,
  type ContactInput,
  type RegisterInput,
  type RegisterOutcome,
  type RegistrarLimits,
  type UriComparator,
} from './process-register.js';
export { sameContactUri } from './contact-uri.js';
export { Location, type LocationListener, type LocationOptions, type RegisterRequest } from './location.js';
export { Qualifier, type QualifierOptions, type ReachabilityListener } from './qualifier.js';
export { contactTarget } from './target.js';
export { RegistrarError, type RegistrarErrorCode } from './errors.js';
