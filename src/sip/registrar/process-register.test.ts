import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoint } from '../message/types.js';
import { processRegister, type RegisterInput, type RegistrarLimits } from './process-register.js';
import type { Binding } from './types.js';

const NOW = 1_700_000_000_000;
const SOURCE: Endpoint = { transport: 'UDP', address: '192.0.2.10', port: 5062 };
const LIMITS: RegistrarLimits = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 600,
  maxContactsPerAor: 3,
};

function req(over: Partial<RegisterInput> = {}): RegisterInput {
  return {
    aor: '1001',
    contacts: [{ uri: 'sip:1001@192.0.2.10:5062' }],
    wildcard: false,
    callId: 'call-1',
    cseq: 1,
    source: SOURCE,
    now: NOW,
    ...over,
  };
}

function binding(over: Partial<Binding> = {}): Binding {
  return {
    aor: '1001',
    contactUri: 'sip:1001@192.0.2.10:5062',
    expiresAt: NOW + 300_000,
    callId: 'call-1',
    cseq: 1,
    source: SOURCE,
    updatedAt: NOW - 300_000,
    ...over,
  };
}

function ok(outcome: ReturnType<typeof processRegister>) {
  assert.ok(outcome.ok, !outcome.ok ? `${outcome.status} ${outcome.reason}` : '');
  return outcome;
}

describe('processRegister', () => {
  it('adds a binding with the default expiry when neither Contact nor Expires says', () => {
    const r = ok(processRegister(req({ userAgent: 'Yealink' }), [], LIMITS));
    assert.equal(r.added.length, 1);
    assert.deepEqual(r.bindings, r.added);
    assert.deepEqual(r.added[0], {
      aor: '1001',
      contactUri: 'sip:1001@192.0.2.10:5062',
      expiresAt: NOW + 600_000,
      callId: 'call-1',
      cseq: 1,
      source: SOURCE,
      updatedAt: NOW,
      userAgent: 'Yealink',
    });
  });

  it('takes the Contact expires over the Expires header', () => {
    const r = ok(
      processRegister(req({ expiresHeader: 120, contacts: [{ uri: 'sip:a@h', expires: 90 }] }), [], LIMITS),
    );
    assert.equal(r.added[0]?.expiresAt, NOW + 90_000);
    const h = ok(processRegister(req({ expiresHeader: 120, contacts: [{ uri: 'sip:a@h' }] }), [], LIMITS));
    assert.equal(h.added[0]?.expiresAt, NOW + 120_000);
  });

  it('refreshes an existing binding with a higher CSeq from the same Call-ID', () => {
    const r = ok(processRegister(req({ cseq: 2, expiresHeader: 600 }), [binding()], LIMITS));
    assert.equal(r.added.length, 0);
    assert.equal(r.refreshed.length, 1);
    assert.equal(r.bindings.length, 1);
    assert.equal(r.bindings[0]?.expiresAt, NOW + 600_000);
    assert.equal(r.bindings[0]?.cseq, 2);
  });

  it('updates a binding from another Call-ID whatever its CSeq', () => {
    const r = ok(processRegister(req({ callId: 'call-2', cseq: 1 }), [binding({ cseq: 50 })], LIMITS));
    assert.equal(r.refreshed[0]?.callId, 'call-2');
    assert.equal(r.bindings.length, 1);
  });

  it('refuses an out-of-order CSeq on the same Call-ID with 500', () => {
    for (const cseq of [1, 0]) {
      const r = processRegister(req({ cseq }), [binding({ cseq: 1 })], LIMITS);
      assert.deepEqual(r, { ok: false, status: 500, reason: 'Out of order CSeq' });
    }
  });

  it('removes a binding with expires 0', () => {
    const r = ok(processRegister(req({ cseq: 2, expiresHeader: 0 }), [binding()], LIMITS));
    assert.deepEqual(r.bindings, []);
    assert.deepEqual(r.removed, [binding()]);
  });

  it('treats expires 0 for an unknown contact as a no-op', () => {
    const r = ok(processRegister(req({ contacts: [{ uri: 'sip:x@h', expires: 0 }] }), [binding()], LIMITS));
    assert.deepEqual(r.bindings, [binding()]);
    assert.deepEqual([r.added, r.removed], [[], []]);
  });

  it('removes every binding for Contact * with Expires 0', () => {
    const existing = [binding(), binding({ contactUri: 'sip:1001@198.51.100.1', callId: 'other' })];
    const r = ok(
      processRegister(req({ wildcard: true, contacts: [], expiresHeader: 0, cseq: 2 }), existing, LIMITS),
    );
    assert.deepEqual(r.bindings, []);
    assert.equal(r.removed.length, 2);
  });

  it('refuses Contact * without Expires 0 or alongside other contacts with 400', () => {
    for (const bad of [
      { wildcard: true, contacts: [], expiresHeader: 60 },
      { wildcard: true, contacts: [] },
      { wildcard: true, expiresHeader: 0 },
    ]) {
      const r = processRegister(req(bad), [], LIMITS);
      assert.equal(!r.ok && r.status, 400);
    }
  });

  it('refuses Contact * with Expires 0 that is out of order with 500', () => {
    const r = processRegister(
      req({ wildcard: true, contacts: [], expiresHeader: 0, cseq: 1 }),
      [binding()],
      LIMITS,
    );
    assert.equal(!r.ok && r.status, 500);
  });

  it('answers 423 with Min-Expires for an interval below the minimum', () => {
    const r = processRegister(req({ expiresHeader: 30 }), [], LIMITS);
    assert.deepEqual(r, { ok: false, status: 423, reason: 'Interval Too Brief', minExpires: 60 });
  });

  it('clamps an interval above the maximum', () => {
    const r = ok(processRegister(req({ expiresHeader: 86_400 }), [], LIMITS));
    assert.equal(r.added[0]?.expiresAt, NOW + 3_600_000);
  });

  it('binds several contacts at once, each with its own q and expiry', () => {
    const contacts = [
      { uri: 'sip:1001@192.0.2.10:5062', q: 0.5, expires: 300 },
      { uri: 'sip:1001@192.0.2.11', q: 1 },
    ];
    const r = ok(processRegister(req({ contacts, expiresHeader: 120 }), [], LIMITS));
    assert.deepEqual(
      r.bindings.map((b) => [b.contactUri, b.q, b.expiresAt - NOW]),
      [
        ['sip:1001@192.0.2.10:5062', 0.5, 300_000],
        ['sip:1001@192.0.2.11', 1, 120_000],
      ],
    );
  });

  it('matches contacts by RFC 3261 URI equality', () => {
    const r = ok(
      processRegister(
        req({ cseq: 2, contacts: [{ uri: 'SIP:1001@192.0.2.10:5062;transport=udp' }] }),
        [binding()],
        LIMITS,
      ),
    );
    assert.equal(r.bindings.length, 1);
  });

  it('replaces the binding of the same +sip.instance on a new contact', () => {
    const instanceId = '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>';
    const old = binding({ instanceId, callId: 'before-reboot' });
    const r = ok(
      processRegister(req({ contacts: [{ uri: 'sip:1001@192.0.2.99:40000', instanceId }] }), [old], LIMITS),
    );
    assert.deepEqual(r.removed, [old]);
    assert.deepEqual(
      r.bindings.map((b) => b.contactUri),
      ['sip:1001@192.0.2.99:40000'],
    );
  });

  it('drops the least recently refreshed bindings beyond the contact limit', () => {
    const existing = [1, 2, 3].map((i) =>
      binding({ contactUri: `sip:1001@10.0.0.${i}`, callId: `c${i}`, updatedAt: NOW - i * 1000 }),
    );
    const r = ok(processRegister(req({ contacts: [{ uri: 'sip:1001@10.0.0.9' }] }), existing, LIMITS));
    assert.equal(r.bindings.length, 3);
    assert.deepEqual(
      r.removed.map((b) => b.contactUri),
      ['sip:1001@10.0.0.3'],
    );
  });

  it('refuses with 403 a request carrying more contacts than the limit', () => {
    const contacts = [1, 2, 3, 4].map((i) => ({ uri: `sip:1001@10.0.0.${i}` }));
    const r = processRegister(req({ contacts }), [], LIMITS);
    assert.equal(!r.ok && r.status, 403);
  });

  it('drops expired bindings and reports them removed', () => {
    const gone = binding({ contactUri: 'sip:1001@10.9.9.9', expiresAt: NOW });
    const r = ok(processRegister(req({ callId: 'x' }), [gone], LIMITS));
    assert.deepEqual(r.removed, [gone]);
    assert.equal(r.bindings.length, 1);
  });

  it('returns the current bindings unchanged for a query without contacts', () => {
    const r = ok(processRegister(req({ contacts: [] }), [binding()], LIMITS));
    assert.deepEqual(r.bindings, [binding()]);
    assert.deepEqual([r.added, r.refreshed, r.removed], [[], [], []]);
  });

  it('refuses invalid numbers with 400', () => {
    for (const bad of [
      { expiresHeader: -1 },
      { expiresHeader: 1.5 },
      { contacts: [{ uri: 'sip:a@h', q: 2 }] },
      { contacts: [{ uri: 'sip:a@h', expires: Number.NaN }] },
      { contacts: [{ uri: ' ' }] },
      { aor: '' },
    ]) {
      const r = processRegister(req(bad), [], LIMITS);
      assert.equal(!r.ok && r.status, 400, JSON.stringify(bad));
    }
  });

  it('keeps the last of a contact repeated in one request', () => {
    const contacts = [
      { uri: 'sip:a@h', expires: 100 },
      { uri: 'sip:a@h:5060', expires: 200 },
    ];
    const r = ok(processRegister(req({ contacts }), [], LIMITS));
    assert.deepEqual(
      r.bindings.map((b) => b.expiresAt - NOW),
      [200_000],
    );
  });
});
