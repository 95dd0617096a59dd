/**
 * Loads the configuration's flows into a FlowCatalog, at start and on every reload. A flow
 * is given inline or as a file path (relative to the configuration file). Loading is all
 * or nothing: one invalid flow leaves the catalog as it was, and the error lists every
 * problem under its configuration path. On reload a flow whose content changed becomes a
 * new version; an unchanged one keeps its version; a flow no longer configured is
 * unpublished (calls on it finish on their version).
 */
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { IvrConfig } from '../platform/config/ivr-schema.js';
import { IvrError } from './errors.js';
import type { FlowVersion } from './types.js';
import { formatIssue } from './validate.js';
import { invalidFlowError, type FlowCatalog } from './versions.js';

export interface LoadFlowsOptions {
  /** Directory relative paths are taken from: the configuration file's. */
  readonly baseDir: string;
  /** Reads a file as text; fs by default. */
  readonly readFile?: (path: string) => string;
  /** Names the configuration in messages. */
  readonly source?: string;
}

export interface LoadFlowsReport {
  readonly flows: readonly { readonly version: FlowVersion; readonly changed: boolean }[];
  readonly unpublished: readonly string[];
  /** Warnings (unreachable nodes), one line each with their configuration path. */
  readonly warnings: readonly string[];
}

interface Source {
  readonly id: string;
  readonly doc: unknown;
  /** `ivr.flows.antifraud` or `ivr.flows.antifraud (examples/96110/antifraud.json)`. */
  readonly where: string;
}

/** Reads a flow file: JSON, or YAML for .yaml and .yml. Throws IvrError IVR_FLOW_UNREADABLE. */
export function readFlowFile(
  path: string,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): unknown {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new IvrError('IVR_FLOW_UNREADABLE', `cannot read flow file ${path} (${code})`, { path });
  }
  try {
    return ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new IvrError(
      'IVR_FLOW_UNREADABLE',
      `flow file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      { path },
    );
  }
}

function sources(config: Pick<IvrConfig, 'flows'>, opts: LoadFlowsOptions, problems: string[]): Source[] {
  const out: Source[] = [];
  for (const [id, given] of Object.entries(config.flows)) {
    const key = `ivr.flows.${id}`;
    let doc: unknown = given;
    let where = key;
    if (typeof given === 'string') {
      const path = isAbsolute(given) ? given : resolve(opts.baseDir, given);
      where = `${key} (${given})`;
      try {
        doc = readFlowFile(path, opts.readFile);
      } catch (err) {
        problems.push(`${key}: ${(err as Error).message}`);
        continue;
      }
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`${where}: a flow must be a mapping`);
      continue;
    }
    const ownId = (doc as { id?: unknown }).id;
    if (ownId === undefined) doc = { ...doc, id };
    else if (ownId !== id) {
      problems.push(
        `${where}: the flow's id ${JSON.stringify(ownId)} differs from its key ${JSON.stringify(id)}`,
      );
      continue;
    }
    out.push({ id, doc, where });
  }
  return out;
}

/**
 * Validates every configured flow, then publishes them together. Throws IvrError
 * IVR_FLOW_INVALID (`details.problems`, one line per problem with its path) when any is
 * invalid or unreadable; the catalog is then unchanged.
 */
export function loadIvrFlows(
  config: Pick<IvrConfig, 'flows'>,
  catalog: FlowCatalog,
  opts: LoadFlowsOptions,
): LoadFlowsReport {
  const problems: string[] = [];
  const warnings: string[] = [];
  const list = sources(config, opts, problems);
  const batch = new Set(list.map((s) => s.id));
  for (const s of list) {
    const checked = catalog.check(s.doc, batch);
    const sep = s.where.includes('(') ? ': ' : '.';
    if (!checked.ok) problems.push(...checked.errors.map((e) => `${s.where}${sep}${formatIssue(e)}`));
    warnings.push(...checked.warnings.map((w) => `${s.where}${sep}${formatIssue(w)}`));
  }
  if (problems.length > 0) throw invalidFlowError(opts.source ?? 'ivr.flows', problems);
  const published = catalog.publishAll(
    list.map((s) => s.doc),
    opts.source ?? 'ivr.flows',
  );
  const unpublished = catalog.ids().filter((id) => !batch.has(id));
  for (const id of unpublished) catalog.unpublish(id);
  return { flows: published.map((p) => ({ version: p.version, changed: p.changed })), unpublished, warnings };
}
