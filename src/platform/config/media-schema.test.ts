import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toneProfile } from '../../media/tones/index.js';
import { ESPEAK_DEFAULT_VOICES, MAX_TTS_RATE, MIN_TTS_RATE, TTS_LANGS } from '../../media/tts/index.js';
import {
  configDefaults,
  DEFAULT_TTS_VOICES,
  defaultMediaWorkers,
  parseConfig,
  PROMPT_LANGUAGES,
  recordingDir,
  TONE_COUNTRIES,
  TTS_RATE_RANGE,
} from './index.js';

describe('media configuration', () => {
  it('gives media, recording, music on hold and TTS working defaults from an empty file', () => {
    const cfg = configDefaults();
    assert.deepEqual(cfg.media, {
      workers: defaultMediaWorkers(),
      codecs: ['PCMA', 'PCMU', 'G722'],
      ptime: 20,
      telephoneEventPayloadType: 101,
      tones: 'CN',
      inbandDtmf: true,
      rtpTimeout: 60,
      jitterBuffer: { targetMs: 60, maxMs: 300 },
    });
    assert.deepEqual(cfg.recording, { enabled: true, dir: '', keepDays: 0 });
    assert.deepEqual(cfg.musicOnHold, { classes: {}, defaultClass: 'default' });
    assert.deepEqual(cfg.tts, { voiceZh: 'cmn', voiceEn: 'en-us', rate: 1, language: 'zh-CN' });
  });

  it('runs one media worker per core, at least 1 and at most 16', () => {
    assert.deepEqual(
      [0, 1, 6, 16, 64].map((cores) => defaultMediaWorkers(cores)),
      [1, 1, 6, 16, 16],
    );
  });

  it('takes a full media section as written', () => {
    const cfg = parseConfig(
      `media:
  workers: 4
  codecs: [PCMU]
  ptime: 30
  telephoneEventPayloadType: 96
  tones: EU
  inbandDtmf: false
  rtpTimeout: 0
  jitterBuffer: { targetMs: 40, maxMs: 40 }
recording: { enabled: false, dir: /srv/rec, keepDays: 90 }
musicOnHold: { classes: { jazz: moh/jazz, default: /srv/moh }, defaultClass: jazz }
tts: { voiceZh: cmn-latn-pinyin, voiceEn: en-gb, rate: 0.5, language: en }
`,
      'full.yaml',
    );
    assert.equal(cfg.media.workers, 4);
    assert.deepEqual(cfg.media.codecs, ['PCMU']);
    assert.deepEqual(cfg.media.jitterBuffer, { targetMs: 40, maxMs: 40 });
    assert.deepEqual(cfg.musicOnHold.classes, { jazz: 'moh/jazz', default: '/srv/moh' });
    assert.equal(cfg.tts.language, 'en');
    assert.equal(cfg.recording.keepDays, 90);
  });

  it('keeps its copies of the media modules’ defaults equal to the originals', () => {
    assert.deepEqual(DEFAULT_TTS_VOICES, {
      zh: ESPEAK_DEFAULT_VOICES['zh-CN'],
      en: ESPEAK_DEFAULT_VOICES.en,
    });
    assert.deepEqual(TTS_RATE_RANGE, { min: MIN_TTS_RATE, max: MAX_TTS_RATE });
    assert.deepEqual([...PROMPT_LANGUAGES], [...TTS_LANGS]);
    for (const country of TONE_COUNTRIES) assert.ok(toneProfile(country), `a tone profile for ${country}`);
  });
});

describe('recordingDir', () => {
  it('is recordings/ in the data directory when recording.dir is empty', () => {
    assert.equal(recordingDir({ dir: '' }, '/var/lib/hotline'), '/var/lib/hotline/recordings');
  });

  it('takes a relative recording.dir from the data directory and an absolute one as given', () => {
    assert.equal(recordingDir({ dir: 'calls/rec' }, '/var/lib/hotline'), '/var/lib/hotline/calls/rec');
    assert.equal(recordingDir({ dir: '/srv/rec' }, '/var/lib/hotline'), '/srv/rec');
  });
});
