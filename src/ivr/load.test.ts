import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IvrError } from './errors.js';
import { loadIvrFlows } from './load.js';
import { doc } from './testing.js';
import { FlowCatalog } from './versions.js';

/** A flow without an id: the configuration key gives it one. */
function hello(text: string): Record<string, unknown> {
  const { id: _id, ...flow } = doc({
    p: { type: 'play', prompts: [{ tts: text }], next: 'e' },
    e: { type: 'hangup' },
  });
  return flow;
}

function files(map: Record<string, string>) {
  return (path: string) => {
    if (!(path in map)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return map[path]!;
  };
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof IvrError && err.code === 'IVR_FLOW_INVALID', String(err));
    return err.details?.['problems'] as string[];
  }
  assert.fail('expected IVR_FLOW_INVALID');
}

describe('loadIvrFlows', () => {
  it('loads inline flows and files relative to the configuration, taking the id from the key', () => {
    const catalog = new FlowCatalog();
    const inline = hello('内联');
    const report = loadIvrFlows(
      { flows: { inline, fromFile: 'flows/a.json', fromYaml: '/etc/b.yaml' } },
      catalog,
      {
        baseDir: '/srv/hotline',
        readFile: files({
          '/srv/hotline/flows/a.json': JSON.stringify(hello('文件')),
          '/etc/b.yaml': 'start: p\nnodes:\n  p: { type: hangup }\n',
        }),
      },
    );
    assert.deepEqual(catalog.ids(), ['fromFile', 'fromYaml', 'inline']);
    assert.deepEqual(
      report.flows.map((f) => [f.version.id, f.version.version, f.changed]),
      [
        ['inline', 1, true],
        ['fromFile', 1, true],
        ['fromYaml', 1, true],
      ],
    );
  });

  it('makes a changed flow a new version on reload, keeps an unchanged one, and unpublishes a removed one', () => {
    const catalog = new FlowCatalog();
    const opts = { baseDir: '/' };
    loadIvrFlows({ flows: { a: hello('一'), b: hello('一'), c: hello('一') } }, catalog, opts);
    const report = loadIvrFlows({ flows: { a: hello('二'), b: hello('一') } }, catalog, opts);
    assert.deepEqual(
      report.flows.map((f) => [f.version.id, f.version.version, f.changed]),
      [
        ['a', 2, true],
        ['b', 1, false],
      ],
    );
    assert.deepEqual(report.unpublished, ['c']);
    assert.deepEqual(catalog.ids(), ['a', 'b']);
  });

  it('reports every problem under its configuration path and changes nothing', () => {
    const catalog = new FlowCatalog();
    loadIvrFlows({ flows: { a: hello('一') } }, catalog, { baseDir: '/' });
    const bad = { ...hello('二'), nodes: { p: { type: 'play', prompts: [{ tts: 'x' }], next: 'zz' } } };
    const list = problems(() =>
      loadIvrFlows({ flows: { a: bad, b: 'missing.json', c: { ...hello('x'), id: 'other' } } }, catalog, {
        baseDir: '/cfg',
        readFile: files({}),
      }),
    );
    assert.deepEqual(list, [
      'ivr.flows.b: cannot read flow file /cfg/missing.json (ENOENT)',
      'ivr.flows.c: the flow\'s id "other" differs from its key "c"',
      'ivr.flows.a.nodes.p.next: exit "next" points to node "zz", which does not exist',
    ]);
    assert.equal(catalog.current('a')?.version, 1);
  });

  it('names the file of a flow that has a problem, and a file that is not JSON', () => {
    const list = problems(() =>
      loadIvrFlows({ flows: { a: 'a.json', b: 'b.json' } }, new FlowCatalog(), {
        baseDir: '/cfg',
        readFile: files({
          '/cfg/a.json': JSON.stringify({ ...hello('x'), start: 'q' }),
          '/cfg/b.json': '{ nope',
        }),
      }),
    );
    assert.match(list[0]!, /^ivr\.flows\.b: flow file \/cfg\/b\.json is not valid JSON: /);
    assert.equal(list[1], 'ivr.flows.a (a.json): start: names node "q", which does not exist');
  });
});
