import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Mixer } from './mixer.js';

const input = (id: string, v: number) => ({ id, heard: new Int16Array(160).fill(v) });

describe('Mixer (mix-minus and roles)', () => {
  it('gives full members the others, listeners everyone, whispers to their target only', () => {
    const m = new Mixer('m');
    const a = m.join(input('a', 1), { role: 'full' });
    const b = m.join(input('b', 10), { role: 'full' });
    const c = m.join(input('c', 100), { role: 'full' });
    const s = m.join(input('s', 1000), { role: 'listen' });
    const w = m.join(input('w', 5000), { role: 'whisper', whisperTo: 'a' });
    m.mix();
    assert.deepEqual(
      [a, b, c, s, w].map((x) => x.out[0]),
      [110 + 5000, 101, 11, 111, 111],
    );
  });

  it('saturates instead of wrapping, and forgets members that leave', () => {
    const m = new Mixer('m');
    const a = m.join(input('a', 0), { role: 'full' });
    m.join(input('b', 30000), { role: 'full' });
    m.join(input('c', 30000), { role: 'full' });
    m.mix();
    assert.equal(a.out[0], 32767);
    m.leave('c');
    m.mix();
    assert.equal(a.out[0], 30000);
    assert.equal(m.size, 2);
  });
});
