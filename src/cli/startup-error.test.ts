import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotlineError } from '../platform/errors.js';
import { describeStartupError, type StartupContext } from './startup-error.js';

const ctx: StartupContext = {
  configPath: 'data/hotline.yaml',
  database: 'sqlite',
  dataDir: '/srv/data',
  showStack: false,
};

function errno(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code} happened`), { code, ...extra });
}

describe('startup errors', () => {
  it('names the address when the SIP port is already in use', () => {
    const text = describeStartupError(errno('EADDRINUSE', { address: '0.0.0.0', port: 5060 }), ctx);
    assert.match(text, /^Hotline could not start: 0\.0\.0\.0:5060 is already in use by another program/);
    assert.match(text, /sip\.udpPort \/ sip\.tcpPort/);
    assert.match(text, /data\/hotline\.yaml/);
    assert.doesNotMatch(text, /\n\s+at /);
  });

  it('finds the cause inside a wrapping error', () => {
    const wrapped = new HotlineError('TRANSPORT_LISTEN', 'cannot listen', {
      cause: errno('EADDRINUSE', { address: '0.0.0.0', port: 5070 }),
    });
    assert.match(describeStartupError(wrapped, ctx), /0\.0\.0\.0:5070 is already in use/);
    const viaCause = new Error('listen failed', { cause: errno('EADDRINUSE', { port: 5080 }) });
    assert.match(describeStartupError(viaCause, ctx), /port 5080 is already in use/);
  });

  it('explains a privileged port', () => {
    const text = describeStartupError(errno('EACCES', { address: '0.0.0.0', port: 80 }), ctx);
    assert.match(text, /not allowed to listen on 0\.0\.0\.0:80\. Ports below 1024 need root/);
  });

  it('explains an unreachable PostgreSQL without its password', () => {
    const pg = { ...ctx, database: 'postgres://hotline:secret@db.example:5432/hotline' };
    const refused = new AggregateError([errno('ECONNREFUSED')], 'connect failed');
    const text = describeStartupError(refused, pg);
    assert.match(text, /cannot reach the database \(postgres db\.example:5432\/hotline\): ECONNREFUSED/);
    assert.doesNotMatch(text, /secret/);
  });

  it('explains a SQLite database that cannot be opened', () => {
    const text = describeStartupError(errno('SQLITE_CANTOPEN'), ctx);
    assert.match(text, /cannot open the SQLite database in \/srv\/data \(SQLITE_CANTOPEN\)/);
  });

  it('lists configuration problems one a line', () => {
    const err = new HotlineError('CONFIG_INVALID', 'x', {
      source: 'a.yaml',
      problems: ['sip.udpPort: must be at most 65535'],
    });
    assert.deepEqual(describeStartupError(err, ctx).split('\n').slice(0, 2), [
      'Hotline could not start: the configuration in a.yaml is invalid:',
      '  sip.udpPort: must be at most 65535',
    ]);
  });

  it('falls back to the message and code of any other error', () => {
    const err = new HotlineError('STORE_MIGRATION', 'migration 3 failed');
    assert.equal(
      describeStartupError(err, ctx),
      'Hotline could not start: migration 3 failed [STORE_MIGRATION]',
    );
  });

  it('adds the stack trace only when asked (log level debug)', () => {
    const err = new Error('boom');
    assert.doesNotMatch(describeStartupError(err, ctx), /\n\s+at /);
    assert.match(describeStartupError(err, { ...ctx, showStack: true }), /\n\s+at /);
  });
});
