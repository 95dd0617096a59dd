import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/log.js';
import type { Endpoint } from '../message/types.js';
import { RegistrarError } from './errors.js';
import { Location, type RegisterRequest } from './location.js';
import type { RegistrarLimits } from './process-register.js';
import type { Binding, BindingStore } from './types.js';

const SOURCE: Endpoint = { transport: 'UDP', address: '192.0.2.10', port: 5062 };
const LIMITS: RegistrarLimits = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 600,
  maxContactsPerAor: 5,
};

/** An in-memory BindingStore whose writes can be held back or made to fail. */
class MemoryStore implements BindingStore {
  readonly rows = new Map<string, Binding>();
  failWrites = false;
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  async loadAll(): Promise<Binding[]> {
    return [...this.rows.values()];
  }

  async upsert(b: Binding): Promise<void> {
    await this.gate;
    if (this.failWrites) throw new Error('disk full');
    this.rows.set(`${b.aor}\n${b.contactUri}`, b);
  }

  async remove(aor: string, contactUri: string): Promise<void> {
    await this.gate;
    if (this.failWrites) throw new Error('disk full');
    this.rows.delete(`${aor}\n${contactUri}`);
  }

  async removeExpired(now: number): Promise<number> {
    let n = 0;
    for (const [k, b] of this.rows) if (b.expiresAt <= now) n += Number(this.rows.delete(k));
    return n;
  }
}

function setup(store = new MemoryStore()) {
  const clock = new FakeClock();
  const location = new Location({ store, limits: LIMITS, clock, log: silentLogger() });
  return { clock, store, location };
}

function reg(over: Partial<RegisterRequest> = {}): RegisterRequest {
  return {
    aor: '1001',
    contacts: [{ uri: 'sip:1001@192.0.2.10:5062' }],
    wildcard: false,
    callId: 'call-1',
    cseq: 1,
    source: SOURCE,
    ...over,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Location', () => {
  it('resolves a registration only once the store holds it', async () => {
    const { store, location } = setup();
    store.hold();
    let resolved = false;
    const pending = location.register(reg()).then((o) => ((resolved = true), o));
    await tick();
    assert.equal(resolved, false);
    assert.equal(store.rows.size, 0);
    store.open();
    const outcome = await pending;
    assert.equal(outcome.ok, true);
    assert.equal(store.rows.size, 1);
    assert.equal(location.lookup('1001').length, 1);
  });

  it('restores bindings with load() and drops the expired ones from the store too', async () => {
    const first = setup();
    await first.location.register(reg({ expiresHeader: 60 }));
    await first.location.register(reg({ aor: '1002', expiresHeader: 3600 }));
    const { clock, location } = setup(first.store);
    clock.advance(61_000);
    assert.equal(await location.load(), 1);
    assert.deepEqual(location.lookup('1001'), []);
    assert.equal(location.lookup('1002').length, 1);
    assert.equal(first.store.rows.size, 1);
  });

  it('looks up by q descending, then the most recently refreshed', async () => {
    const { clock, location } = setup();
    await location.register(reg({ contacts: [{ uri: 'sip:a@h', q: 0.5 }] }));
    clock.advance(1000);
    await location.register(reg({ callId: 'c2', contacts: [{ uri: 'sip:b@h' }] }));
    clock.advance(1000);
    await location.register(reg({ callId: 'c3', contacts: [{ uri: 'sip:c@h', q: 1 }] }));
    clock.advance(1000);
    await location.register(reg({ callId: 'c4', contacts: [{ uri: 'sip:d@h', q: 0.9 }] }));
    assert.deepEqual(
      location.lookup('1001').map((b) => b.contactUri),
      ['sip:c@h', 'sip:b@h', 'sip:d@h', 'sip:a@h'],
    );
  });

  it('expires bindings on the clock, from memory and the store', async () => {
    const { clock, store, location } = setup();
    await location.register(reg({ expiresHeader: 60 }));
    await location.register(reg({ aor: '1002', expiresHeader: 120 }));
    clock.advance(60_000);
    assert.deepEqual(location.lookup('1001'), []);
    const removed = await location.expire();
    assert.deepEqual(
      removed.map((b) => b.aor),
      ['1001'],
    );
    assert.deepEqual(
      [...store.rows.values()].map((b) => b.aor),
      ['1002'],
    );
    assert.equal(location.aorCount, 1);
    assert.equal(location.all().length, 1);
  });

  it('changes nothing for a refused REGISTER', async () => {
    const { store, location } = setup();
    const outcome = await location.register(reg({ expiresHeader: 10 }));
    assert.equal(!outcome.ok && outcome.status, 423);
    assert.equal(store.rows.size, 0);
    assert.equal(location.all().length, 0);
  });

  it('rejects with a coded error and keeps memory unchanged when the store fails', async () => {
    const { store, location } = setup();
    await location.register(reg());
    store.failWrites = true;
    await assert.rejects(
      location.register(reg({ cseq: 2, expiresHeader: 0 })),
      (e: unknown) => e instanceof RegistrarError && e.code === 'REGISTRAR_STORE_FAILED',
    );
    assert.equal(location.lookup('1001').length, 1);
    store.failWrites = false;
    const retry = await location.register(reg({ cseq: 2, expiresHeader: 0 }));
    assert.equal(retry.ok, true);
    assert.equal(location.lookup('1001').length, 0);
  });

  it('applies concurrent REGISTERs for one AOR in arrival order', async () => {
    const { store, location } = setup();
    await location.register(reg());
    store.hold();
    const second = location.register(reg({ cseq: 2, expiresHeader: 300 }));
    const third = location.register(reg({ cseq: 3, expiresHeader: 900 }));
    await tick();
    store.open();
    const [a, b] = await Promise.all([second, third]);
    assert.equal(a.ok && b.ok, true);
    assert.equal(location.lookup('1001')[0]?.cseq, 3);
    assert.equal([...store.rows.values()][0]?.cseq, 3);
  });

  it('notifies listeners when the contact set changes, not on a refresh', async () => {
    const { clock, location } = setup();
    const events: [string, number][] = [];
    const off = location.onChange((aor, bindings) => events.push([aor, bindings.length]));
    location.onChange(() => {
      throw new Error('a broken listener must not break registration');
    });
    await location.register(reg());
    await location.register(reg({ cseq: 2 }));
    await location.register(reg({ cseq: 3, contacts: [{ uri: 'sip:1001@10.0.0.2' }] }));
    await location.register(reg({ cseq: 4, expiresHeader: 0 }));
    clock.advance(600_000);
    await location.expire();
    off();
    await location.register(reg({ cseq: 5 }));
    assert.deepEqual(events, [
      ['1001', 1],
      ['1001', 2],
      ['1001', 1],
      ['1001', 0],
    ]);
  });
});
