import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseWav } from '../audio/index.js';
import { ensureDefaultMusicOnHold, isMohError } from './index.js';

describe('ensureDefaultMusicOnHold', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hotline-moh-default-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes moh/default/default.wav, 8 kHz mono PCM16, and returns its folder', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const folder = await ensureDefaultMusicOnHold(dataDir);
    assert.equal(folder, join(dataDir, 'moh', 'default'));
    assert.deepEqual(await readdir(folder), ['default.wav']);
    const wav = parseWav(new Uint8Array(await readFile(join(folder, 'default.wav'))));
    assert.ok(wav.ok);
    assert.equal(wav.audio.sampleRate, 8000);
    assert.equal(wav.audio.channels, 1);
    assert.equal(wav.audio.encoding, 'pcm16');
    assert.ok(wav.audio.frames >= 20 * 8000, `${wav.audio.frames / 8000} s`);
  });

  it('keeps a file already there, byte for byte', async () => {
    const dataDir = join(root, 'kept');
    const folder = await ensureDefaultMusicOnHold(dataDir, { render: () => new Uint8Array([1, 2, 3]) });
    await ensureDefaultMusicOnHold(dataDir);
    assert.deepEqual([...(await readFile(join(folder, 'default.wav')))], [1, 2, 3]);
  });

  it('leaves exactly one whole file when several starts race', async () => {
    const dataDir = join(root, 'race');
    const folders = await Promise.all(Array.from({ length: 4 }, () => ensureDefaultMusicOnHold(dataDir)));
    assert.equal(new Set(folders).size, 1);
    assert.deepEqual(await readdir(folders[0]!), ['default.wav'], 'no temp file is left behind');
    assert.ok(parseWav(new Uint8Array(await readFile(join(folders[0]!, 'default.wav')))).ok);
  });

  it('fails with MOH_WRITE_FAILED when default.wav is a folder, and leaves no temp file', async () => {
    const dataDir = join(root, 'folder-in-the-way');
    const folder = join(dataDir, 'moh', 'default');
    await mkdir(join(folder, 'default.wav'), { recursive: true });
    await assert.rejects(ensureDefaultMusicOnHold(dataDir), (err) => {
      assert.ok(isMohError(err, 'MOH_WRITE_FAILED'));
      assert.equal(err.details?.['path'], join(folder, 'default.wav'));
      return true;
    });
    assert.deepEqual(await readdir(folder), ['default.wav']);
  });

  it('fails with MOH_WRITE_FAILED when the data directory is a file', async () => {
    const dataDir = join(root, 'a-file');
    await writeFile(dataDir, 'not a folder');
    await assert.rejects(ensureDefaultMusicOnHold(dataDir), (err) => isMohError(err, 'MOH_WRITE_FAILED'));
  });
});
