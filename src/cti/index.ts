/** The CTI module's public surface (STYLE principle 1). */
export * from './protocol.js';
export { ctiErrorCodes, CTI_ERROR_CODES, CtiError, isCtiError, type CtiErrorCode } from './errors.js';
export { startCtiServer, CTI_PATH, type CtiServer, type CtiServerOptions } from './server.js';
export { CTI_CLOSE_CODES } from './connection.js';
export { authorize, findIdentity, type CtiTokenEntry } from './auth.js';
export type {
  BackendRequestType,
  CtiAudience,
  CtiBackend,
  CtiCaller,
  CtiEmit,
  CtiIdentity,
  CtiRequestHandlers,
} from './types.js';
