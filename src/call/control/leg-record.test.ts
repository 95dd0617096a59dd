import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answeredCall, bridgeRig, FAKE_QUALITY } from '../test-kit.js';
import { buildLegRecord, legDisposition, legRole, type LegFacts } from './leg-record.js';
import { blindTransfer, cancelConsult, consult } from './transfer.js';

const T0 = 1_700_000_000_000;
const QUALITY = { mos: 4.31, lossPercent: 0.2, jitterMs: 4, rttMs: 38 };

function facts(over: Partial<LegFacts> = {}): LegFacts {
  return {
    callId: 'call-1',
    legId: 'leg-7',
    party: '1002',
    tags: { direction: 'outbound', role: 'agent' },
    first: false,
    startedAt: T0,
    answeredAt: T0 + 3_000,
    endedAt: T0 + 63_000,
    end: { by: 'remote', status: 200 },
    quality: FAKE_QUALITY,
    ...over,
  };
}

describe('Leg records: what a row says', () => {
  test('an answered leg is answered however it ended', () => {
    assert.equal(legDisposition('outbound', true, { by: 'local', status: 200 }), 'answered');
    assert.equal(
      legDisposition('inbound', true, { by: 'system', status: 200, reason: 'RTP timeout' }),
      'answered',
    );
  });

  test('a phone Hotline stopped ringing itself (RONA, ring timeout, answered elsewhere) did not answer', () => {
    assert.equal(legDisposition('outbound', false, { by: 'local', status: 487 }), 'no-answer');
    assert.equal(
      legDisposition('outbound', false, { by: 'local', status: 480, reason: 'No Answer' }),
      'no-answer',
    );
  });

  test('a caller who gave up is cancelled; a phone that refused reads by its status', () => {
    assert.equal(legDisposition('inbound', false, { by: 'remote', status: 487 }), 'cancelled');
    assert.equal(legDisposition('outbound', false, { by: 'remote', status: 486 }), 'busy');
    assert.equal(legDisposition('outbound', false, { by: 'remote', status: 603 }), 'busy');
    assert.equal(
      legDisposition('outbound', false, { by: 'system', status: 480, reason: 'no contact' }),
      'no-answer',
    );
    assert.equal(legDisposition('outbound', false, { by: 'system', status: 503 }), 'failed');
    assert.equal(legDisposition('inbound', false, { by: 'local', status: 486 }), 'busy');
  });

  test("the role is the creator's, else caller for the leg that started the call and callee for others", () => {
    assert.equal(legRole('consult', true), 'consult');
    assert.equal(legRole(undefined, true), 'caller');
    assert.equal(legRole(undefined, false), 'callee');
  });

  test('a row carries the times, the end, the trunk and the measured quality', () => {
    const row = buildLegRecord(
      facts({
        tags: { direction: 'outbound', trunk: 'carrier-a' },
        end: { by: 'local', status: 200, reason: 'caller hung up' },
      }),
    );
    assert.deepEqual(row, {
      callId: 'call-1',
      legId: 'leg-7',
      party: '1002',
      direction: 'outbound',
      role: 'callee',
      trunk: 'carrier-a',
      startedAt: T0,
      answeredAt: T0 + 3_000,
      endedAt: T0 + 63_000,
      disposition: 'answered',
      hangupBy: 'local',
      sipStatus: 200,
      reason: 'caller hung up',
      quality: QUALITY,
    });
  });

  test('a leg never answered has no answer time, and no quality when nothing was measured', () => {
    const row = buildLegRecord(
      facts({
        answeredAt: undefined,
        end: { by: 'local', status: 487 },
        quality: { ...FAKE_QUALITY, mos: null },
      }),
    );
    assert.equal('answeredAt' in row, false);
    assert.equal('quality' in row, false);
    assert.equal(row.disposition, 'no-answer');
    assert.equal(buildLegRecord(facts({ quality: null })).quality, undefined);
  });
});

describe('Leg records written by call control', () => {
  test('an answered call writes a row for the caller and one for the callee, beside its one CDR', async () => {
    const rig = bridgeRig();
    const { callerDialog } = await answeredCall(rig);
    callerDialog.bye();
    await rig.idle();
    const cdr = rig.cdrs.only();
    assert.equal(rig.cdrLegs.records.length, 2);
    const [caller] = rig.cdrLegs.of('1001');
    const [callee] = rig.cdrLegs.of('1002');
    assert.ok(caller && callee);
    assert.equal(caller.callId, cdr.callId);
    assert.equal(callee.callId, cdr.callId);
    assert.notEqual(caller.legId, callee.legId);
    assert.deepEqual(
      [caller.direction, caller.role, caller.disposition, caller.hangupBy, caller.sipStatus],
      ['inbound', 'caller', 'answered', 'remote', 200],
    );
    assert.deepEqual(
      [callee.direction, callee.role, callee.disposition, callee.hangupBy, callee.sipStatus],
      ['outbound', 'callee', 'answered', 'local', 200],
    );
    for (const leg of [caller, callee]) {
      assert.ok(
        leg.answeredAt !== undefined && leg.startedAt <= leg.answeredAt && leg.answeredAt <= leg.endedAt,
      );
      assert.deepEqual(leg.quality, QUALITY);
    }
  });

  test('a caller who hangs up while the callee rings: the caller cancelled, the callee did not answer', async () => {
    const rig = bridgeRig();
    const call = rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().ring();
    await rig.net.settle();
    call.cancel();
    await rig.idle();
    const [caller] = rig.cdrLegs.of('1001');
    const [callee] = rig.cdrLegs.of('1002');
    assert.deepEqual(
      [caller?.disposition, caller?.hangupBy, caller?.sipStatus],
      ['cancelled', 'remote', 487],
    );
    assert.deepEqual([callee?.disposition, callee?.hangupBy], ['no-answer', 'local']);
    assert.equal(callee?.answeredAt, undefined);
  });

  test('a busy callee: its leg is busy by its own refusal, the caller told busy by Hotline', async () => {
    const rig = bridgeRig();
    rig.caller.invite('1002');
    await rig.net.settle();
    rig.callee.lastIncoming().respond(486);
    await rig.idle();
    const [caller] = rig.cdrLegs.of('1001');
    const [callee] = rig.cdrLegs.of('1002');
    assert.deepEqual([callee?.disposition, callee?.hangupBy, callee?.sipStatus], ['busy', 'remote', 486]);
    assert.deepEqual([caller?.disposition, caller?.hangupBy, caller?.sipStatus], ['busy', 'local', 486]);
  });

  test('a consulted party is recorded as consult, a blind transfer target as transfer', async () => {
    const rig = bridgeRig();
    const consulted = rig.phone('1003');
    const target = rig.phone('1004');
    const { callerDialog, calleeDialog } = await answeredCall(rig);
    const pending = consult(rig.control, rig.legOf('1002'), '1003');
    await rig.net.settle();
    consulted.lastIncoming().respond(486);
    await rig.idle();
    await cancelConsult(rig.control, await pending);
    const moving = blindTransfer(rig.control, rig.legOf('1001'), '1004');
    await rig.net.settle();
    target.lastIncoming().answer();
    await rig.idle();
    assert.equal((await moving).ok, true);
    calleeDialog.bye(); // the transferor leaves
    await rig.idle();
    callerDialog.bye();
    await rig.idle();
    const [c] = rig.cdrLegs.of('1003');
    const [t] = rig.cdrLegs.of('1004');
    assert.deepEqual([c?.role, c?.disposition], ['consult', 'busy']);
    assert.deepEqual([t?.role, t?.disposition, t?.direction], ['transfer', 'answered', 'outbound']);
    assert.equal(t?.callId, rig.cdrs.only().callId);
  });

  test('a leg never attached to its call (a failed trunk try) is recorded with its trunk', async () => {
    const rig = bridgeRig();
    const call = rig.control.createCall({ number: '1001' }, '1002');
    const leg = await rig.control.originate(call, '1002', { attach: false, trunk: 'carrier-a' });
    await rig.net.settle();
    rig.callee.lastIncoming().respond(503);
    await rig.idle();
    assert.equal(leg.isEnded, true);
    assert.equal(call.legs.size, 0);
    const [row] = rig.cdrLegs.records;
    assert.deepEqual(
      [row?.callId, row?.trunk, row?.role, row?.disposition, row?.sipStatus],
      [call.id, 'carrier-a', 'callee', 'failed', 503],
    );
  });

  test('a role the layers above know (an agent the ACD rings) names the legs they create', async () => {
    const rig = bridgeRig({ roleOf: (_call, party) => (party === '1002' ? 'agent' : undefined) });
    const { callerDialog } = await answeredCall(rig);
    callerDialog.bye();
    await rig.idle();
    assert.equal(rig.cdrLegs.of('1002')[0]?.role, 'agent');
    assert.equal(rig.cdrLegs.of('1001')[0]?.role, 'caller');
  });
});
