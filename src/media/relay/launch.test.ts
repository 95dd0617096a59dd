import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { testPortRange } from './testing.js';

/** The app runs as `tsx src/cli/main.ts` in development: the worker must start there too. */
describe('media worker launch', () => {
  it('starts, binds and shuts down when the app runs under the tsx CLI', async () => {
    const tsxCli = fileURLToPath(import.meta.resolve('tsx/cli'));
    const index = fileURLToPath(new URL('../index.ts', import.meta.url));
    const { portMin, portMax } = testPortRange(2);
    const script = `void (async () => {
      const { MediaRelay } = await import(${JSON.stringify(index)});
      const relay = await MediaRelay.start({ portMin: ${portMin}, portMax: ${portMax} });
      const ep = await relay.createEndpoint({ bindAddress: '127.0.0.1' });
      process.stdout.write('port=' + ep.port);
      await relay.shutdown();
    })()`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [tsxCli, '--eval', script], { timeout: 20_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      );
    });
    assert.equal(stdout, `port=${portMin}`, 'and the process exits once the relay is shut down');
  });
});
