import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkConfigCommand } from './check-config.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'hotline-check-flows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hotline check-config and IVR flows', () => {
  it('reports a flow whose exit names no node, with the flow file and the node and field', () => {
    writeFileSync(
      join(dir, 'menu.json'),
      JSON.stringify({
        id: 'menu',
        start: 'hello',
        nodes: { hello: { type: 'play', prompts: [{ silenceMs: 100 }], next: 'nowhere' } },
      }),
    );
    writeFileSync(join(dir, 'hotline.yaml'), 'ivr:\n  flows:\n    menu: menu.json\n');
    const io = captureIo();
    assert.equal(checkConfigCommand(join(dir, 'hotline.yaml'), io), 1);
    const out = io.stdout.join('\n');
    assert.match(out, /^INVALID: /m);
    assert.match(out, /ivr\.flows\.menu \(menu\.json\).*hello.*next.*nowhere/);
  });

  it('accepts the shipped examples', () => {
    for (const example of ['examples/96110/hotline.yaml', 'examples/ordering/hotline.yaml']) {
      const io = captureIo();
      assert.equal(checkConfigCommand(example, io), 0, io.stdout.join('\n'));
    }
  });
});
