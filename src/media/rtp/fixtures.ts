/** Hand-built packets with known bytes, shared by the RTP/RTCP tests and the fuzz test. */

export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(2 * i, 2 * i + 2), 16));
}

/** V=2, PT 0 (PCMU), seq 1, ts 160, SSRC 0x12345678, four bytes of µ-law silence. */
export const RTP_SIMPLE = hex('80 00 0001 000000a0 12345678  ffffffff');

/**
 * Every optional part: P, X, CC=2, M, PT 8, seq 65535, ts 2³²−1, SSRC 0xDEADBEEF, CSRCs 1
 * and 2, an RFC 8285 one-byte extension (0xBEDE, one word), two payload bytes, 4 bytes
 * of padding.
 */
export const RTP_FULL = hex(`
  b2 88 ffff ffffffff deadbeef
  00000001 00000002
  bede 0001 10aa0000
  d5d5
  00000004`);

/** SR with one report block (25 % lost, cumulative −2, LSR/DLSR set). */
export const RTCP_SR_BYTES = hex(`
  81 c8 000c 11223344
  83aa7e80 80000000 00001f40 00000032 00001f40
  55667788 40 fffffe 00010005 00000010 7e808000 00010000`);

/** SDES with CNAME "a@b" for SSRC 0x11223344. */
export const RTCP_SDES_BYTES = hex('81 ca 0003 11223344 0103614062 000000');

/** BYE for SSRC 0x11223344 with reason "done". */
export const RTCP_BYE_BYTES = hex('81 cb 0003 11223344 04646f6e65 000000');

/** An RR with no report blocks. */
export const RTCP_EMPTY_RR_BYTES = hex('80 c9 0001 11223344');

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
