import type { MixerId } from './control.js';
import type { EndpointId } from './types.js';
import type { WorkerChannel } from './worker-channel.js';

/** The main thread's record of one endpoint: where it lives and what it takes part in. */
export interface Entry {
  readonly id: EndpointId;
  readonly port: number;
  readonly address: string;
  readonly bindAddress: string;
  readonly latchAnySource: boolean;
  channel: WorkerChannel;
  /** Set while the endpoint moves to another worker; other calls wait for it. */
  moving: Promise<void> | null;
  mixer: MixerId | null;
}

/**
 * What the mixer and recording books need of MediaRelay: endpoint lookup and the moves
 * that keep interacting endpoints in one worker.
 */
export interface Placement {
  /** The entry once no move is in progress; MEDIA_UNKNOWN_ENDPOINT or MEDIA_RELAY_CLOSED otherwise. */
  ready(id: EndpointId): Promise<Entry>;
  get(id: EndpointId): Entry | undefined;
  /** Puts both in one worker, moving `mover` (or else `anchor`); `keepBridges`: refuse to break a bridge. */
  colocate(anchor: Entry, mover: Entry, keepBridges: boolean): Promise<void>;
  move(e: Entry, to: WorkerChannel): Promise<void>;
  assertOpen(): void;
}
