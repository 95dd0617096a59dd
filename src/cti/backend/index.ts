/** The CTI backend over call control and the ACD (docs/cti.md, "Backend"). */
export { createCtiBackend, type CallCenterBackend } from './backend.js';
export { routerFlows, startCti, type RunningCti, type StartCtiDeps } from './start.js';
export { applyDataEdit } from './data.js';
export type { AgentPort, AgentRequestType, CtiBackendDeps, RunFlow } from './types.js';
