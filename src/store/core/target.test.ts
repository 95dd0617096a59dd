import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStoreError } from '../errors.js';
import { parseTarget, redact } from './target.js';

describe('parseTarget', () => {
  it('puts plain sqlite at hotline.db in the data directory', () => {
    assert.deepEqual(parseTarget('sqlite', '/var/lib/hotline'), {
      kind: 'sqlite',
      path: '/var/lib/hotline/hotline.db',
      label: 'sqlite:/var/lib/hotline/hotline.db',
    });
  });

  it('takes sqlite:PATH as given when absolute and from the data directory when relative', () => {
    assert.equal(parseTarget('sqlite:/srv/cc.db', '/data').kind, 'sqlite');
    assert.deepEqual(parseTarget('sqlite:/srv/cc.db', '/data'), parseTarget('sqlite:../srv/cc.db', '/data'));
    assert.deepEqual(parseTarget('sqlite::memory:', '/data'), {
      kind: 'sqlite',
      path: ':memory:',
      label: 'sqlite::memory:',
    });
  });

  it('accepts postgres:// and postgresql:// URLs and labels them without the password', () => {
    const t = parseTarget('postgresql://hotline:s3cret@db.example:5432/hotline', '/data');
    assert.equal(t.kind, 'postgres');
    assert.equal(t.label, 'postgresql://hotline:***@db.example:5432/hotline');
    assert.equal(parseTarget('postgres://db/hotline', '/data').kind, 'postgres');
  });

  for (const [setting, why] of [
    ['mysql://root:pw@db/hotline', /expected "sqlite"/],
    ['sqlite:', /needs a file path/],
    ['postgres://u:pw@db:notaport/hotline', /not a valid URL/],
    ['postgres://u:pw@db:5432', /names no database/],
  ] as const) {
    it(`refuses ${redact(setting)} with STORE_BAD_TARGET and no password in the message`, () => {
      assert.throws(
        () => parseTarget(setting, '/data'),
        (err) =>
          isStoreError(err, 'STORE_BAD_TARGET') && why.test(err.message) && !err.message.includes('pw@'),
      );
    });
  }
});
