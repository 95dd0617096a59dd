/**
 * NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1900 and a 32-bit
 * binary fraction; LSR and DLSR use the middle 32 bits (units of 1/65536 s).
 */

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

export interface NtpTimestamp {
  /** Whole seconds since 1900, modulo 2³². */
  readonly seconds: number;
  /** Fraction of a second in units of 2⁻³². */
  readonly fraction: number;
}

/** The NTP timestamp of a Unix time in milliseconds. */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const wholeMs = Math.floor(unixMs);
  const seconds = Math.floor(wholeMs / 1000);
  const ms = unixMs - seconds * 1000;
  return {
    seconds: (seconds + NTP_UNIX_OFFSET_SECONDS) >>> 0,
    fraction: Math.min(0xffffffff, Math.round((ms / 1000) * 0x1_0000_0000)) >>> 0,
  };
}

/** The middle 32 bits of an NTP timestamp: what LSR echoes (RFC 3550 §6.4.1). */
export function ntpMiddle(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** The middle 32 bits of the NTP time of a Unix time in milliseconds. */
export function ntpMiddleFromUnixMs(unixMs: number): number {
  const t = ntpFromUnixMs(unixMs);
  return ntpMiddle(t.seconds, t.fraction);
}

/** Milliseconds as a DLSR value (units of 1/65536 s), saturating at 2³² − 1. */
export function msToNtpShort(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(0xffffffff, Math.round((ms * 65536) / 1000)) >>> 0;
}

/**
 * Round-trip time from a report block (RFC 3550 §6.4.1, Figure 2): RTT = A − LSR − DLSR,
 * with A the middle 32 bits of the NTP time the report arrived. Undefined when LSR is 0
 * (the peer has not received a sender report from us yet). All arithmetic is modulo 2³²;
 * a result that comes out negative (clock skew) is reported as 0.
 */
export function roundTripMs(arrivalNtpMiddle: number, lsr: number, dlsr: number): number | undefined {
  if (lsr === 0) return undefined;
  const rtt = (arrivalNtpMiddle - lsr - dlsr) | 0;
  return rtt <= 0 ? 0 : (rtt * 1000) / 65536;
}
