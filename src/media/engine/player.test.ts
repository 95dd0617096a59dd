import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeWav } from '../audio/wav-format.js';
import { AudioCache, type AudioFiles } from './audio-cache.js';
import { Player } from './player.js';

function memoryFiles(files: Record<string, Uint8Array>, reads: string[] = []): AudioFiles {
  return {
    stat: async (path) => {
      const f = files[path];
      if (!f) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return { mtimeMs: 1, size: f.length };
    },
    read: async (path) => {
      reads.push(path);
      return files[path]!;
    },
  };
}

const ramp = (n: number) =>
  encodeWav(
    { encoding: 'pcm16', sampleRate: 8000, channels: 1 },
    Int16Array.from({ length: n }, (_, i) => i + 1),
  );
const tick = () => new Promise((r) => setImmediate(r));

describe('Player', () => {
  it('waits while its first file loads, then plays the file, then the next item', async () => {
    const cache = new AudioCache(1 << 20, memoryFiles({ '/a.wav': ramp(200) }));
    const p = new Player({ playId: 'x', items: [{ file: '/a.wav' }, { silenceMs: 10 }] }, cache);
    const out = new Int16Array(160);
    assert.equal(p.read(out), 'wait', 'loading: nothing to send yet');
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(p.read(out), 'play');
    assert.deepEqual([out[0], out[159]], [1, 160]);
    assert.equal(p.read(out), 'play');
    assert.deepEqual([out[0], out[39], out[40], out[119], out[120]], [161, 200, 0, 0, 0]);
    assert.equal(p.read(out), 'end', 'the frame after the last samples ends it');
    assert.deepEqual(p.ended, { reason: 'finished' });
  });

  it('fails naming a missing file, and ends a loop of empty items instead of spinning', async () => {
    const cache = new AudioCache(1 << 20, memoryFiles({}));
    const p = new Player({ playId: 'x', items: [{ file: '/missing.wav' }] }, cache);
    const out = new Int16Array(160);
    p.read(out);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(p.read(out), 'end');
    assert.equal(p.ended?.reason, 'failed');
    assert.match(p.ended?.reason === 'failed' ? p.ended.error : '', /\/missing\.wav/);
    const empty = new Player({ playId: 'y', items: [{ silenceMs: 0 }], loop: true }, cache);
    assert.equal(empty.read(out), 'end');
    assert.deepEqual(empty.ended, { reason: 'finished' });
  });

  it('resumes from a snapshot, and the cache reads a file once and evicts the least recent', async () => {
    const reads: string[] = [];
    const files = { '/a.wav': ramp(400), '/b.wav': ramp(400) };
    const cache = new AudioCache(1000, memoryFiles(files, reads)); // room for one 800-byte file
    await cache.load('/a.wav');
    await cache.load('/a.wav');
    assert.deepEqual(reads, ['/a.wav']);
    await cache.load('/b.wav');
    assert.equal(cache.size, 1);
    assert.ok(cache.bytes <= 1000);
    const p = new Player({ playId: 'z', items: [{ silenceMs: 20 }, { file: '/a.wav' }] }, cache, {
      item: 1,
      offset: 100,
    });
    for (let i = 0; i < 5; i++) await tick();
    const out = new Int16Array(160);
    assert.equal(p.read(out), 'play');
    assert.equal(out[0], 101);
    assert.deepEqual(p.snapshot().item, 1);
    assert.deepEqual(p.snapshot().offset, 260);
  });
});
