import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { isMohError, MusicOnHold, type OpenMusicOnHoldOptions } from './index.js';

/** A tiny stand-in for the rendered music: these tests are about folders, not audio. */
const render = (): Uint8Array => new Uint8Array([82, 73, 70, 70]);

/** A logger whose warnings the test can read. */
function recordingLogger(): { logger: OpenMusicOnHoldOptions['logger']; warnings: string[] } {
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void warnings.push(String(JSON.parse(line).msg)) },
  );
  return { logger, warnings };
}

describe('MusicOnHold', () => {
  let root = '';
  let n = 0;
  const dataDir = (): string => join(root, `data-${++n}`);

  async function folderWith(dir: string, names: readonly string[]): Promise<string> {
    await mkdir(dir, { recursive: true });
    for (const name of names) await writeFile(join(dir, name), 'x');
    return dir;
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hotline-moh-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives the generated default class with no configuration at all', async () => {
    const data = dataDir();
    const moh = await MusicOnHold.open({ dataDir: data, render });
    assert.deepEqual(moh.classNames, ['default']);
    assert.deepEqual(moh.select(), {
      requested: 'default',
      className: 'default',
      fellBack: false,
      files: [join(data, 'moh', 'default', 'default.wav')],
    });
  });

  it('lists only *.wav files of a class, sorted, as absolute paths', async () => {
    const data = dataDir();
    const jazz = await folderWith(join(data, 'moh', 'jazz'), [
      'b.wav',
      'A.WAV',
      'a.wav',
      'notes.txt',
      '.hidden.wav',
      '._a.wav',
      'c.wav.tmp',
    ]);
    await mkdir(join(jazz, 'sub.wav'));
    await symlink(join(jazz, 'b.wav'), join(jazz, 'linked.wav'));
    await symlink(join(jazz, 'gone.wav'), join(jazz, 'dangling.wav'));
    const moh = await MusicOnHold.open({
      dataDir: data,
      render,
      config: { classes: { jazz: 'moh/jazz' }, defaultClass: 'default' },
    });
    assert.deepEqual(
      moh.files('jazz'),
      ['A.WAV', 'a.wav', 'b.wav', 'linked.wav'].map((f) => join(jazz, f)),
    );
  });

  it('takes an absolute class folder as given', async () => {
    const folder = await folderWith(join(root, 'elsewhere'), ['x.wav']);
    const moh = await MusicOnHold.open({
      dataDir: dataDir(),
      render,
      config: { classes: { far: folder }, defaultClass: 'far' },
    });
    assert.deepEqual(moh.select(), {
      requested: 'far',
      className: 'far',
      fellBack: false,
      files: [join(folder, 'x.wav')],
    });
  });

  it('refuses a class that is not configured, naming it and the known ones', async () => {
    const moh = await MusicOnHold.open({
      dataDir: dataDir(),
      render,
      config: { classes: { sales: 'moh/sales' }, defaultClass: 'default' },
    });
    assert.throws(
      () => moh.select('salse'),
      (err) => {
        assert.ok(isMohError(err, 'MOH_UNKNOWN_CLASS'));
        assert.equal(err.message, 'no music-on-hold class "salse" (configured: default, sales)');
        return true;
      },
    );
  });

  it('refuses a default class that is not configured when opening', async () => {
    await assert.rejects(
      MusicOnHold.open({ dataDir: dataDir(), render, config: { classes: {}, defaultClass: 'jazz' } }),
      (err) => isMohError(err, 'MOH_UNKNOWN_CLASS') && err.message.includes('"jazz"'),
    );
  });

  it('plays the default class instead of an empty one, and warns once at refresh naming both', async () => {
    const data = dataDir();
    const calm = await folderWith(join(data, 'calm'), ['calm.wav']);
    await folderWith(join(data, 'empty'), ['readme.txt']);
    const { logger, warnings } = recordingLogger();
    const moh = await MusicOnHold.open({
      dataDir: data,
      render,
      logger,
      config: { classes: { calm: 'calm', sales: 'empty', support: 'missing' }, defaultClass: 'calm' },
    });
    assert.deepEqual(moh.select('sales'), {
      requested: 'sales',
      className: 'calm',
      fellBack: true,
      files: [join(calm, 'calm.wav')],
    });
    assert.equal(moh.select('support').className, 'calm');
    assert.deepEqual(warnings, [
      `music-on-hold class "sales" has no WAV file in ${join(data, 'empty')} (no .wav files); callers will hear class "calm" instead`,
      `music-on-hold class "support" has no WAV file in ${join(data, 'missing')} (ENOENT); callers will hear class "calm" instead`,
    ]);
  });

  it('falls back to the generated music when the default class is empty too', async () => {
    const data = dataDir();
    const moh = await MusicOnHold.open({
      dataDir: data,
      render,
      config: { classes: { default: 'nothing-here', sales: 'nothing-either' }, defaultClass: 'default' },
    });
    assert.deepEqual(moh.select('sales'), {
      requested: 'sales',
      className: 'default',
      fellBack: true,
      files: [join(data, 'moh', 'default', 'default.wav')],
    });
  });

  it('lets a configured default class replace the generated music', async () => {
    const data = dataDir();
    const own = await folderWith(join(data, 'own'), ['ours.wav']);
    const moh = await MusicOnHold.open({
      dataDir: data,
      render,
      config: { classes: { default: 'own' }, defaultClass: 'default' },
    });
    assert.deepEqual(moh.files(), [join(own, 'ours.wav')]);
  });

  it('sees files added and removed only after refresh', async () => {
    const data = dataDir();
    const folder = await folderWith(join(data, 'live'), ['1.wav']);
    const moh = await MusicOnHold.open({
      dataDir: data,
      render,
      config: { classes: { live: 'live' }, defaultClass: 'default' },
    });
    await writeFile(join(folder, '2.wav'), 'x');
    assert.deepEqual(moh.files('live'), [join(folder, '1.wav')], 'a snapshot: no disk access per call');
    await Promise.all([moh.refresh(), moh.refresh()]);
    assert.deepEqual(moh.files('live'), [join(folder, '1.wav'), join(folder, '2.wav')]);
  });

  it('rewrites the generated music on refresh when it was deleted', async () => {
    const data = dataDir();
    const moh = await MusicOnHold.open({ dataDir: data, render });
    await rm(join(data, 'moh'), { recursive: true });
    await moh.refresh();
    assert.deepEqual(moh.files(), [join(data, 'moh', 'default', 'default.wav')]);
  });

  it('reports MOH_EMPTY_CLASS naming the class when not even the generated music is left', async () => {
    // The generated file vanishing between its rewrite and the scan: a scan that finds nothing.
    const { logger, warnings } = recordingLogger();
    const moh = await MusicOnHold.open({
      dataDir: dataDir(),
      render,
      logger,
      scan: () => Promise.resolve({ files: [], problem: 'ENOENT' }),
      config: { classes: { sales: 'none' }, defaultClass: 'default' },
    });
    assert.throws(
      () => moh.select('sales'),
      (err) =>
        isMohError(err, 'MOH_EMPTY_CLASS') &&
        err.message.startsWith('music-on-hold class "sales" has no WAV file') &&
        err.details?.['className'] === 'sales',
    );
    assert.ok(warnings.every((w) => w.includes('callers will hear nothing')));
  });
});
