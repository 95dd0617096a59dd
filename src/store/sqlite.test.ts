import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { describeStoreContract } from './contract.js';
import { openStore } from './open.js';

describe('store on SQLite', () => {
  let dataDir = '';
  let fresh = 0;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hotline-store-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  describeStoreContract(
    'SQLite',
    () => openStore({ database: 'sqlite', dataDir }),
    () => Promise.resolve({ database: `sqlite:fresh-${++fresh}.db`, dataDir }),
  );
});
