export {
  TransportLayer,
  type TransportLayerOptions,
  type TransportReceiver,
  type TransportStats,
} from './layer.js';
export { isReliable, type MessageSender } from './types.js';
export type { TlsFiles } from './ws.js';
