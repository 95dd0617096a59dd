export { UserAgentCore, type CancelTarget, type DialogUsage, type OutOfDialogHandler } from './core.js';
