import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HotlineError } from '../platform/errors.js';
import { queueLog } from './queue-log.js';
import { QueueLogFile, resolveQueueLogPath, teeQueueLog } from './queue-log-file.js';

const T = 1_700_000_000_000;
const pause = (i: number) =>
  queueLog.pause({ time: T + i * 1000, queue: 'sales', agent: `10${i}`, reason: 'lunch' });

describe('queue log file', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotline-queue-log-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('appends one classic line per entry after what the file already holds', async () => {
    const path = join(dir, 'logs', 'queue_log');
    const first = await QueueLogFile.open(path);
    await first.append(pause(1));
    await first.close();
    const again = await QueueLogFile.open(path);
    await again.append(
      queueLog.enterQueue({ time: T, callId: 'c-1', queue: 'sales', callerId: '13800138000', position: 1 }),
    );
    await again.close();
    assert.equal(
      await readFile(path, 'utf8'),
      '1700000001|NONE|sales|101|PAUSE|lunch\n1700000000|c-1|sales|NONE|ENTERQUEUE||13800138000|1\n',
    );
  });

  it('writes every one of many concurrent appends exactly once, in order', async () => {
    const path = join(dir, 'burst');
    const file = await QueueLogFile.open(path);
    await Promise.all(Array.from({ length: 500 }, (_, i) => file.append(pause(i))));
    await file.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 500);
    assert.equal(lines[499], `${(T + 499_000) / 1000}|NONE|sales|10499|PAUSE|lunch`);
  });

  it('rejects appends after close with a coded error, and close is idempotent', async () => {
    const file = await QueueLogFile.open(join(dir, 'closed'));
    await Promise.all([file.close(), file.close()]);
    await assert.rejects(
      file.append(pause(1)),
      (err) => err instanceof HotlineError && err.code === 'QUEUE_LOG_FILE_CLOSED',
    );
  });

  it('fails to open a path under a regular file with a coded error naming the path', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    await assert.rejects(QueueLogFile.open(join(blocker, 'queue_log')), (err) => {
      assert.ok(err instanceof HotlineError && err.code === 'QUEUE_LOG_FILE_OPEN_FAILED');
      assert.match(err.message, /not-a-dir/);
      return true;
    });
  });

  it('takes a relative configured path from the data directory', () => {
    assert.equal(resolveQueueLogPath('queue_log', '/var/lib/hotline'), '/var/lib/hotline/queue_log');
    assert.equal(resolveQueueLogPath('/var/log/queue_log', '/var/lib/hotline'), '/var/log/queue_log');
  });

  it('tees an entry to every sink', async () => {
    const seen: string[] = [];
    const sink = (name: string) => ({ append: async () => void seen.push(name) });
    await teeQueueLog(sink('store'), sink('file')).append(pause(1));
    assert.deepEqual(seen, ['store', 'file']);
  });
});
