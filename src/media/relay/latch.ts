/**
 * Symmetric RTP latching (RFC 4961 senders; the "comedia" behaviour of SBCs) as a pure
 * state holder: no sockets, no timers, time passed in. One instance per socket.
 *
 * Policy, chosen for phones behind NAT while refusing RTP injection mid-call:
 * - Before latching, the first packet from an allowed source latches it. Allowed means
 *   any source when `anySource` (a phone behind NAT advertises a private address), else
 *   only the address the SDP gave (any port: a NAT may still remap the port).
 * - Once latched, packets from any other source are refused while the latched source is
 *   alive. Only after it has been silent for `relatchAfterMs` may an allowed new source
 *   take over (a NAT rebinding, or a phone that changed network). A hijacker therefore
 *   gets nothing while the real phone is talking (50 packets/s), and at worst takes over
 *   a stream that was already dead.
 * - A new SDP address (setRemote with a different address or port) clears the latch.
 */
export interface LatchPolicy {
  readonly anySource: boolean;
  readonly relatchAfterMs: number;
}

export class SourceLatch {
  /** The latched source, or null. */
  address: string | null = null;
  port = 0;
  /** When the latched source last sent. */
  lastAt = 0;
  private expected: string | null = null;

  constructor(private readonly policy: LatchPolicy) {}

  /** True when a packet from (address, port) at `now` is accepted; latches as a side effect. */
  accept(address: string, port: number, now: number): boolean {
    if (this.address !== null) {
      if (port === this.port && address === this.address) {
        this.lastAt = now;
        return true;
      }
      if (now - this.lastAt < this.policy.relatchAfterMs) return false;
    }
    if (!this.policy.anySource && address !== this.expected) return false;
    this.address = address;
    this.port = port;
    this.lastAt = now;
    return true;
  }

  /** A new SDP address: forget the latched source. */
  reset(expected: string | null): void {
    this.expected = expected;
    this.address = null;
    this.port = 0;
    this.lastAt = 0;
  }

  /** Restores a state carried over from another worker. */
  restore(expected: string | null, latched: { address: string; port: number; lastAt: number } | null): void {
    this.reset(expected);
    if (latched) {
      this.address = latched.address;
      this.port = latched.port;
      this.lastAt = latched.lastAt;
    }
  }
}
