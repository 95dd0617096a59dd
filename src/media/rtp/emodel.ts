/**
 * Call quality estimate by the E-model (ITU-T G.107), simplified the usual way for VoIP
 * monitoring: every parameter at its G.107 default except delay and codec impairment, so
 *
 *   R = 93.2 − Id − Ie,eff
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)      (G.107 §7.4, BurstR = 1: random loss)
 *   Id ≈ 0.024 · Ta + 0.11 · (Ta − 177.3) · H(Ta − 177.3)       (a fit of G.107's Idd/Idte
 *        curves at default echo loss, Cole & Rosenbluth 2001)
 *   MOS = 1 + 0.035 R + R (R − 60)(100 − R) · 7·10⁻⁶ for 0 < R < 100 (G.107 Annex B)
 *
 * Ta, the one-way mouth-to-ear delay, is taken as half the RTCP round trip plus the
 * playout buffer (twice the jitter, at least one packet) plus one packet of
 * packetisation. Ie and Bpl for G.711 come from G.113 Appendix I: Ie = 0, Bpl = 4.3
 * without packet loss concealment and 25.1 with it. The narrowband E-model has no entry
 * for G.722 (only the wideband one of G.107.1 does): it is rated as G.711, Ie = 0 being
 * the best this scale can express.
 */

export interface CodecImpairment {
  /** Equipment impairment factor Ie. */
  readonly ie: number;
  /** Packet-loss robustness factor Bpl. */
  readonly bpl: number;
}

/** G.113 Appendix I values for G.711 (either law). */
export const G711_IMPAIRMENT: CodecImpairment = { ie: 0, bpl: 4.3 };
export const G711_PLC_IMPAIRMENT: CodecImpairment = { ie: 0, bpl: 25.1 };

export interface MosInput {
  /** 'PCMU' | 'PCMA' | 'G722', or explicit factors for another codec. */
  readonly codec: 'PCMU' | 'PCMA' | 'G722' | CodecImpairment;
  /** Fraction of packets lost, 0…1 (RTCP fraction lost / 256). */
  readonly lossRate: number;
  /** Interarrival jitter in ms. */
  readonly jitterMs: number;
  /** Round-trip time in ms (0 when unknown). */
  readonly rttMs: number;
  /** True when the receiver conceals loss (our jitter buffer does). Default false. */
  readonly plc?: boolean;
  /** Packet duration in ms. Default 20. */
  readonly ptimeMs?: number;
}

export interface MosEstimate {
  readonly r: number;
  readonly mos: number;
  readonly id: number;
  readonly ieEff: number;
  readonly oneWayDelayMs: number;
}

/** G.107 Annex B: R → MOS (conversational quality, estimated). */
export function mosFromR(r: number): number {
  if (!(r > 0)) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** Delay impairment Id for a one-way delay in ms. */
export function delayImpairment(oneWayDelayMs: number): number {
  const ta = Math.max(0, oneWayDelayMs);
  return 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0);
}

/** Effective equipment impairment for a packet loss percentage (random loss). */
export function effectiveEquipmentImpairment(impairment: CodecImpairment, lossPercent: number): number {
  const ppl = Math.max(0, Math.min(100, lossPercent));
  const { ie, bpl } = impairment;
  return ie + ((95 - ie) * ppl) / (ppl + bpl);
}

function finite(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

/** The E-model estimate for one direction of a call. Pure: same input, same answer. */
export function estimateMos(input: MosInput): MosEstimate {
  const impairment =
    typeof input.codec === 'string' ? (input.plc ? G711_PLC_IMPAIRMENT : G711_IMPAIRMENT) : input.codec;
  const ptime = input.ptimeMs ?? 20;
  const jitterBuffer = Math.max(ptime, 2 * finite(input.jitterMs));
  const oneWayDelayMs = finite(input.rttMs) / 2 + jitterBuffer + ptime;
  const id = delayImpairment(oneWayDelayMs);
  const ieEff = effectiveEquipmentImpairment(impairment, 100 * finite(input.lossRate));
  const r = Math.max(0, Math.min(100, 93.2 - id - ieEff));
  return { r, mos: mosFromR(r), id, ieEff, oneWayDelayMs };
}
