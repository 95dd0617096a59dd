import type { TransportName } from '../message/types.js';

/** One connection-oriented flow (TCP, TLS, WS, WSS) as the transport layer sees it. */
export interface Connection {
  readonly id: string;
  readonly transport: TransportName;
  readonly remoteAddress: string;
  readonly remotePort: number;
  write(data: Buffer): void;
  close(): void;
}

/**
 * Open connections by id and by remote address, so responses and requests can reuse the
 * flow a phone opened (RFC 3261 §18.2.2, RFC 5626 spirit) instead of dialing back.
 */
export class ConnectionTable {
  private readonly byId = new Map<string, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private seq = 0;

  nextId(prefix: string): string {
    return `${prefix}:${++this.seq}`;
  }

  add(conn: Connection): void {
    this.byId.set(conn.id, conn);
    this.byRemote.set(remoteKey(conn.transport, conn.remoteAddress, conn.remotePort), conn);
  }

  remove(conn: Connection): void {
    this.byId.delete(conn.id);
    const key = remoteKey(conn.transport, conn.remoteAddress, conn.remotePort);
    if (this.byRemote.get(key) === conn) this.byRemote.delete(key);
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  find(transport: TransportName, address: string, port: number): Connection | undefined {
    return this.byRemote.get(remoteKey(transport, address, port));
  }

  get size(): number {
    return this.byId.size;
  }

  countFrom(address: string): number {
    let n = 0;
    for (const c of this.byId.values()) if (c.remoteAddress === address) n++;
    return n;
  }

  closeAll(): void {
    for (const c of [...this.byId.values()]) c.close();
    this.byId.clear();
    this.byRemote.clear();
  }
}

function remoteKey(transport: TransportName, address: string, port: number): string {
  return `${transport}|${address}|${port}`;
}
