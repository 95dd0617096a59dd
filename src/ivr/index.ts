/**
 * The IVR: flow documents and their validation, versioned publishing, the interpreter and
 * its node kinds, the step log, and the simulator. Calls are driven only through the
 * IvrChannel port; see docs/ivr.md.
 */
export { IvrError, type IvrErrorCode } from './errors.js';
export type {
  AssociatedData,
  CallInfo,
  CollectRequest,
  CollectResult,
  CustomerRecord,
  FlowSource,
  FlowVersion,
  HttpFetch,
  IvrChannel,
  IvrEnd,
  IvrFailure,
  IvrResult,
  IvrStep,
  LookupCustomer,
  PlayOptions,
  PlayResult,
  RecordRequest,
  RecordResult,
  ResolvedPrompt,
  ScheduleStatePort,
  ScheduleStateValue,
  StepLog,
  TransferOutcome,
} from './types.js';
export {
  flowSchema,
  nodeSchema,
  NODE_TYPES,
  type Flow,
  type FlowInput,
  type FlowNode,
  type NodeType,
} from './schema.js';
export type { SetExpr, CompareOp, TransferDestination } from './schema-values.js';
export {
  validateFlow,
  formatIssue,
  type FlowIssue,
  type FlowIssueCode,
  type ValidateOptions,
  type ValidationResult,
} from './validate.js';
export { FlowCatalog, flowHash, type FlowCatalogOptions, type PublishResult } from './versions.js';
export { loadIvrFlows, readFlowFile, type LoadFlowsOptions, type LoadFlowsReport } from './load.js';
export { IvrEngine, DEFAULT_MAX_STEPS, MAX_HANGUP_STEPS, type IvrEngineOptions } from './interpreter.js';
export { MemoryStepLog } from './step-log.js';
export { BUILTIN_VARIABLES } from './variables.js';
export { resolvePrompt, describePrompt, SYSTEM_PROMPTS } from './prompts.js';
export { DEFAULT_TIME_ZONE, parseLocalTime, clockVariables } from './time.js';
export { routingScheduleState } from './schedule-port.js';
export {
  simulate,
  type SimulateOptions,
  type SimulationReport,
  type HttpStub,
  type SimStep,
} from './simulate.js';
export { SimulatedChannel, type SimEvent } from './simulate-channel.js';
export { formatSimulation, describeDestination, describeEnd } from './simulate-format.js';
