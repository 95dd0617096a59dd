import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  G711_IMPAIRMENT,
  G711_PLC_IMPAIRMENT,
  delayImpairment,
  effectiveEquipmentImpairment,
  estimateMos,
  mosFromR,
} from './emodel.js';

const close = (a: number, b: number, eps = 0.01): void => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('E-model (G.107 simplified)', () => {
  it('maps R to MOS per G.107 Annex B, clamped at 1 and 4.5', () => {
    close(mosFromR(93.2), 4.41);
    close(mosFromR(50), 2.575, 0.001);
    assert.equal(mosFromR(0), 1);
    assert.equal(mosFromR(-5), 1);
    assert.equal(mosFromR(100), 4.5);
    assert.equal(mosFromR(Number.NaN), 1);
  });

  it('uses the G.113 loss robustness of G.711 with and without concealment', () => {
    close(effectiveEquipmentImpairment(G711_IMPAIRMENT, 1), 95 / 5.3);
    close(effectiveEquipmentImpairment(G711_PLC_IMPAIRMENT, 1), 95 / 26.1);
    assert.equal(effectiveEquipmentImpairment(G711_IMPAIRMENT, 0), 0);
    close(effectiveEquipmentImpairment(G711_IMPAIRMENT, 100), 95 * (100 / 104.3));
  });

  it('charges delay gently up to 177.3 ms and steeply beyond', () => {
    close(delayImpairment(100), 2.4);
    close(delayImpairment(177.3), 4.2552, 0.001);
    close(delayImpairment(300), 7.2 + 0.11 * 122.7, 0.001);
  });

  it('rates a clean LAN call near the G.711 ceiling', () => {
    const e = estimateMos({ codec: 'PCMA', lossRate: 0, jitterMs: 0, rttMs: 0 });
    assert.equal(e.oneWayDelayMs, 40, 'one packet of buffer and one of packetisation');
    close(e.r, 93.2 - 0.96);
    assert.ok(e.mos > 4.35 && e.mos < 4.41, String(e.mos));
  });

  it('rates 1 % random loss without concealment as a clearly worse call, and concealment recovers most of it', () => {
    const plain = estimateMos({ codec: 'PCMU', lossRate: 0.01, jitterMs: 5, rttMs: 40 });
    const plc = estimateMos({ codec: 'PCMU', lossRate: 0.01, jitterMs: 5, rttMs: 40, plc: true });
    assert.ok(plain.mos < 4.0 && plain.mos > 3.7, String(plain.mos));
    assert.ok(plc.mos > 4.2, String(plc.mos));
  });

  it('falls monotonically with loss, jitter and round trip', () => {
    const base = { codec: 'PCMU' as const, lossRate: 0.01, jitterMs: 10, rttMs: 100 };
    const mos = estimateMos(base).mos;
    assert.ok(estimateMos({ ...base, lossRate: 0.05 }).mos < mos);
    assert.ok(estimateMos({ ...base, jitterMs: 60 }).mos < mos);
    assert.ok(estimateMos({ ...base, rttMs: 600 }).mos < mos);
  });

  it('treats nonsense inputs as zero rather than producing NaN', () => {
    const e = estimateMos({
      codec: 'PCMA',
      lossRate: Number.NaN,
      jitterMs: -3,
      rttMs: Number.POSITIVE_INFINITY,
    });
    assert.ok(Number.isFinite(e.mos));
    assert.equal(e.oneWayDelayMs, 40);
  });

  it('accepts explicit impairment factors for other codecs', () => {
    const g729 = estimateMos({ codec: { ie: 10, bpl: 19 }, lossRate: 0, jitterMs: 0, rttMs: 0 });
    close(g729.r, 93.2 - 0.96 - 10);
  });
});
