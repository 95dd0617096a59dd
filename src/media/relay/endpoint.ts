import type { RemoteInfo, Socket } from 'node:dgram';
import type { MediaStream } from '../engine/stream.js';
import { SourceLatch, type LatchPolicy } from './latch.js';
import type { Counters, EndpointSnapshot, LatchState } from './protocol.js';
import type { EndpointId, EndpointMode, EndpointStats, RemoteAddress } from './types.js';

/**
 * One relay endpoint inside a worker: an RTP socket and its RTCP socket, the peer's
 * address, latching and counters. This is the hot path: a received buffer is sent on
 * as is (never parsed, STYLE principle 6), counters are plain numbers, nothing is
 * allocated per packet beyond what dgram itself does.
 *
 * Once configure()d the endpoint has a `stream` (src/media/engine) and hands it every
 * accepted packet: the stream decides what to relay, decode or answer. Unconfigured, the
 * endpoint relays raw as it always did.
 */
export class RelayEndpoint {
  mode: EndpointMode = 'idle';
  peer: RelayEndpoint | null = null;
  /** What the phone sends reaches nobody (not relayed, mixed, transcoded or recorded). */
  muted = false;
  /** The engine's processing, once a format is configured. */
  stream: MediaStream | null = null;
  readonly counters: Counters = {
    packetsIn: 0,
    bytesIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    packetsDropped: 0,
    packetsRejected: 0,
    rtcpPacketsIn: 0,
    rtcpPacketsOut: 0,
    sendErrors: 0,
    lastPacketAt: null,
  };
  private remote: RemoteAddress | null = null;
  private rtcpAddress: string | null = null;
  private rtcpPort = 0;
  private readonly rtpLatch: SourceLatch;
  private readonly rtcpLatch: SourceLatch;
  private closing: Promise<void> | null = null;

  constructor(
    readonly id: EndpointId,
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    policy: LatchPolicy,
    private readonly now: () => number,
    private readonly onSocketError: (ep: RelayEndpoint, err: Error) => void,
  ) {
    this.rtpLatch = new SourceLatch(policy);
    this.rtcpLatch = new SourceLatch(policy);
    rtp.on('message', this.onRtp);
    rtcp.on('message', this.onRtcp);
    rtp.on('error', this.onError);
    rtcp.on('error', this.onError);
  }

  private readonly onRtp = (msg: Buffer, rinfo: RemoteInfo): void => {
    const c = this.counters;
    const now = this.now();
    if (!this.rtpLatch.accept(rinfo.address, rinfo.port, now)) {
      c.packetsRejected++;
      return;
    }
    c.packetsIn++;
    c.bytesIn += msg.length;
    c.lastPacketAt = now;
    const stream = this.stream;
    if (stream !== null) {
      stream.receiveRtp(msg, now);
    } else if (this.muted) {
      c.packetsDropped++;
    } else if (this.mode === 'relay') {
      if (!this.peer!.relayFromPeer(msg)) c.packetsDropped++;
    } else if (this.mode === 'echo') {
      this.rtp.send(msg, rinfo.port, rinfo.address);
      c.packetsOut++;
      c.bytesOut += msg.length;
    } else {
      c.packetsDropped++;
    }
  };

  private readonly onRtcp = (msg: Buffer, rinfo: RemoteInfo): void => {
    const now = this.now();
    if (!this.rtcpLatch.accept(rinfo.address, rinfo.port, now)) {
      this.counters.packetsRejected++;
      return;
    }
    this.counters.rtcpPacketsIn++;
    // RTCP is relayed between bridged peers; in echo mode it is drained, since reflecting
    // a phone's own reports back at it would describe a stream it did not receive.
    if (this.stream !== null) this.stream.receiveRtcp(msg, now);
    else if (this.mode === 'relay') this.peer!.relayRtcpFromPeer(msg);
  };

  private readonly onError = (err: Error): void => {
    this.counters.sendErrors++;
    this.onSocketError(this, err);
  };

  /** Sends to the latched source, else to the SDP address. False when neither is known. */
  sendRtp(msg: Buffer): boolean {
    const latch = this.rtpLatch;
    if (latch.address !== null) this.rtp.send(msg, latch.port, latch.address);
    else if (this.remote !== null) this.rtp.send(msg, this.remote.port, this.remote.address);
    else return false;
    this.counters.packetsOut++;
    this.counters.bytesOut += msg.length;
    return true;
  }

  /**
   * A packet the bridged peer received, to go out of this endpoint as is — unless this
   * side's engine is sending something of its own (a prompt, a digit) or transcodes.
   */
  relayFromPeer(msg: Buffer): boolean {
    const stream = this.stream;
    if (stream !== null && !stream.acceptsRelayed()) return false;
    return this.sendRtp(msg);
  }

  /** The peer phone's RTCP, relayed unless this side terminates RTCP itself. */
  relayRtcpFromPeer(msg: Buffer): void {
    const stream = this.stream;
    if (stream !== null && !stream.rawRelay) return;
    if (this.sendRtcp(msg) && stream !== null) stream.noteRelayedRtcp(msg);
  }

  /** Sends to the latched RTCP source, else the SDP's RTCP address. False when neither is known. */
  sendRtcp(msg: Uint8Array): boolean {
    const latch = this.rtcpLatch;
    if (latch.address !== null) this.rtcp.send(msg, latch.port, latch.address);
    else if (this.rtcpAddress !== null) this.rtcp.send(msg, this.rtcpPort, this.rtcpAddress);
    else return false;
    this.counters.rtcpPacketsOut++;
    return true;
  }

  setRemote(remote: RemoteAddress): void {
    const old = this.remote;
    this.remote = remote;
    this.rtcpAddress = remote.rtcpAddress ?? remote.address;
    this.rtcpPort = remote.rtcpPort ?? remote.port + 1;
    // Same address again (a re-INVITE that changed nothing) keeps the latch.
    if (old === null || old.address !== remote.address || old.port !== remote.port) {
      this.rtpLatch.reset(remote.address);
      this.rtcpLatch.reset(this.rtcpAddress);
    }
  }

  /** Leaves relay or echo mode; a relayed peer goes idle too. */
  disconnect(): void {
    const peer = this.peer;
    this.peer = null;
    this.mode = 'idle';
    if (peer !== null && peer.peer === this) {
      peer.peer = null;
      peer.mode = 'idle';
    }
  }

  stats(): EndpointStats {
    const l = this.rtpLatch;
    return {
      ...this.counters,
      latched: l.address === null ? null : { address: l.address, port: l.port },
      mode: this.mode,
    };
  }

  snapshot(): EndpointSnapshot {
    return {
      remote: this.remote,
      rtpLatch: latchState(this.rtpLatch),
      rtcpLatch: latchState(this.rtcpLatch),
      counters: { ...this.counters },
    };
  }

  restore(s: EndpointSnapshot): void {
    if (s.remote !== null) this.setRemote(s.remote);
    this.rtpLatch.restore(s.remote?.address ?? null, s.rtpLatch);
    this.rtcpLatch.restore(this.rtcpAddress, s.rtcpLatch);
    Object.assign(this.counters, s.counters);
  }

  /** Disconnects and closes both sockets; resolves when the ports are released. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (() => {
      this.disconnect();
      return Promise.all([closeSocket(this.rtp), closeSocket(this.rtcp)]).then(() => undefined);
    })();
    return this.closing;
  }
}

function latchState(l: SourceLatch): LatchState | null {
  return l.address === null ? null : { address: l.address, port: l.port, lastAt: l.lastAt };
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      socket.close(() => resolve());
    } catch (err) {
      // Already closed is what we wanted; anything else is a real failure.
      if ((err as NodeJS.ErrnoException).code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') resolve();
      else reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
