/** Helpers for the IVR's tests: build, publish and simulate small flows. */
import assert from 'node:assert/strict';
import { simulate, type SimulateOptions, type SimulationReport } from './simulate.js';
import { FlowCatalog } from './versions.js';
import type { FlowVersion } from './types.js';

/** 2026-10-09 10:00 in Asia/Shanghai. */
export const AT = Date.UTC(2026, 9, 9, 2, 0, 0);

/** A flow document starting at `start` (default: the first node). */
export function doc(
  nodes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id: 'test', start: Object.keys(nodes)[0], ...extra, nodes };
}

/** Publishes documents in a new catalog; returns the catalog and the first flow's version. */
export function publish(...docs: Record<string, unknown>[]): { catalog: FlowCatalog; flow: FlowVersion } {
  const catalog = new FlowCatalog({ now: () => AT });
  const published = catalog.publishAll(docs);
  return { catalog, flow: published[0]!.version };
}

/** Simulates the first document (the others are there for gotos). */
export async function sim(
  docs: Record<string, unknown> | Record<string, unknown>[],
  opts: Partial<Omit<SimulateOptions, 'flow' | 'flows'>> = {},
): Promise<SimulationReport> {
  const { catalog, flow } = publish(...(Array.isArray(docs) ? docs : [docs]));
  return simulate({ flow, flows: catalog, ani: '13800138000', dnis: '96110', dtmf: [], at: AT, ...opts });
}

/** `node→exit` for every step: the path in one comparable list. */
export function path(report: SimulationReport): string[] {
  return report.steps.map(({ step }) => `${step.nodeId}→${step.exit ?? '∎'}`);
}

/** Every text played, in order. */
export function played(report: SimulationReport): string[] {
  return [...report.steps.flatMap((s) => s.events), ...report.after].flatMap((e) =>
    e.kind === 'play' ? e.texts : [],
  );
}

export function assertEnd(report: SimulationReport, kind: string): void {
  assert.equal(report.result.end.kind, kind, `ended ${JSON.stringify(report.result.end)}`);
}

/** A play node that ends at a hangup: the usual target of an exit under test. */
export const ends = (id: string) => ({ [id]: { type: 'hangup', cause: 16 } });
