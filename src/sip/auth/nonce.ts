/**
 * Stateless server nonces: the issue time and a salt, authenticated with an HMAC, so the
 * server keeps no table of the nonces it handed out (RFC 7616 §3.3 suggests the same
 * shape: time-stamp plus a private key). A nonce is 43 base64url characters:
 *
 *   base64url( issuedAt (8 bytes, ms, big-endian) | salt (8 bytes) | HMAC-SHA256(…)[0..16] )
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PAYLOAD_BYTES = 16;
const MAC_BYTES = 16;
/** A nonce from up to this far in the future is accepted, in case the wall clock stepped back. */
const MAX_FUTURE_SKEW_MS = 60_000;

export type NonceCheck =
  | { readonly status: 'valid'; readonly issuedAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number }
  | { readonly status: 'bad' };

export class NonceCodec {
  constructor(
    private readonly secret: Buffer,
    /** Bound into the MAC so a nonce from one realm is worthless in another. */
    private readonly realm: string,
    private readonly random: (size: number) => Buffer,
  ) {}

  mint(now: number): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(now))), 0);
    this.random(8).copy(payload, 8, 0, 8);
    return Buffer.concat([payload, this.mac(payload)]).toString('base64url');
  }

  check(nonce: string, now: number, lifetimeMs: number): NonceCheck {
    if (nonce.length !== 43) return { status: 'bad' };
    const raw = Buffer.from(nonce, 'base64url');
    // Only the canonical encoding is ours: refuse look-alikes that decode to the same bytes.
    if (raw.length !== PAYLOAD_BYTES + MAC_BYTES || raw.toString('base64url') !== nonce) {
      return { status: 'bad' };
    }
    const payload = raw.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(raw.subarray(PAYLOAD_BYTES), this.mac(payload))) return { status: 'bad' };
    const issuedAt = Number(payload.readBigUInt64BE(0));
    const age = now - issuedAt;
    if (age < -MAX_FUTURE_SKEW_MS) return { status: 'bad' };
    return age > lifetimeMs ? { status: 'expired', issuedAt } : { status: 'valid', issuedAt };
  }

  private mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.secret)
      .update('hotline-digest-nonce\0')
      .update(this.realm)
      .update('\0')
      .update(payload)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
