/**
 * Published flows and their versions (热发布). Publishing validates a document and, when
 * its content differs from the current version, adds version n+1. A running call holds the
 * FlowVersion object it started with, so a new version affects new calls only; old
 * versions are kept for the calls still on them and for the step log.
 */
import { createHash } from 'node:crypto';
import { IvrError } from './errors.js';
import type { Flow } from './schema.js';
import type { FlowSource, FlowVersion } from './types.js';
import { formatIssue, validateFlow, type FlowIssue, type ValidateOptions } from './validate.js';

export interface PublishResult {
  readonly version: FlowVersion;
  /** False when the content equals the current version, which is kept. */
  readonly changed: boolean;
  readonly warnings: readonly FlowIssue[];
}

export interface FlowCatalogOptions {
  /** Epoch ms, for `publishedAt`. */
  readonly now?: () => number;
  /** Schedule names that schedule nodes may use; unchecked without it. */
  readonly knownSchedules?: (name: string) => boolean;
}

/** JSON with keys sorted, so that equal content gives equal text whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function flowHash(flow: Flow): string {
  return createHash('sha256').update(canonical(flow)).digest('hex');
}

/** IVR_FLOW_INVALID with one line per problem in `details.problems`. */
export function invalidFlowError(source: string, problems: readonly string[]): IvrError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new IvrError(
    'IVR_FLOW_INVALID',
    `${source}: invalid flow (${count})\n${problems.map((p) => `  ${p}`).join('\n')}`,
    {
      source,
      problems,
    },
  );
}

function idOf(doc: unknown): string {
  const id = doc !== null && typeof doc === 'object' ? (doc as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '';
}

export class FlowCatalog implements FlowSource {
  private readonly history = new Map<string, FlowVersion[]>();
  private readonly live = new Map<string, FlowVersion>();
  private readonly now: () => number;

  constructor(private readonly opts: FlowCatalogOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** The version new calls start on, or undefined when the flow is not published. */
  current(id: string): FlowVersion | undefined {
    return this.live.get(id);
  }

  get(id: string, version: number): FlowVersion | undefined {
    return this.history.get(id)?.find((v) => v.version === version);
  }

  versions(id: string): readonly FlowVersion[] {
    return this.history.get(id) ?? [];
  }

  /** Ids of the flows new calls can start on. */
  ids(): string[] {
    return [...this.live.keys()].sort();
  }

  /** Validates without publishing; `alsoKnown` names flows published in the same batch (for goto). */
  check(doc: unknown, alsoKnown: ReadonlySet<string> = new Set()): ReturnType<typeof validateFlow> {
    const opts: ValidateOptions = {
      knownFlows: (id) => this.live.has(id) || alsoKnown.has(id),
      ...(this.opts.knownSchedules ? { knownSchedules: this.opts.knownSchedules } : {}),
    };
    return validateFlow(doc, opts);
  }

  /**
   * Validates and publishes one flow. Throws IvrError IVR_FLOW_INVALID (with
   * `details.problems`) when it has errors; nothing changes then.
   */
  publish(doc: unknown, source = 'flow'): PublishResult {
    return this.publishAll([doc], source)[0]!;
  }

  /**
   * Publishes several flows at once, all or nothing: gotos between them are allowed, and
   * one invalid flow leaves every flow as it was.
   */
  publishAll(docs: readonly unknown[], source = 'flows'): PublishResult[] {
    const batch = new Set(docs.map(idOf));
    const valid: { flow: Flow; warnings: readonly FlowIssue[] }[] = [];
    const problems: string[] = [];
    docs.forEach((doc, i) => {
      const r = this.check(doc, batch);
      if (r.ok) valid.push(r);
      else {
        const prefix = docs.length > 1 ? `flow ${idOf(doc) || `#${i + 1}`}: ` : '';
        problems.push(...r.errors.map((e) => prefix + formatIssue(e)));
      }
    });
    if (problems.length > 0) throw invalidFlowError(source, problems);
    return valid.map((r) => this.add(r.flow, r.warnings));
  }

  private add(flow: Flow, warnings: readonly FlowIssue[]): PublishResult {
    const hash = flowHash(flow);
    const current = this.live.get(flow.id);
    if (current !== undefined && current.hash === hash) return { version: current, changed: false, warnings };
    const list = this.history.get(flow.id) ?? [];
    const last = list.at(-1)?.version ?? 0;
    const version: FlowVersion = Object.freeze({
      id: flow.id,
      version: last + 1,
      flow,
      hash,
      publishedAt: this.now(),
    });
    list.push(version);
    this.history.set(flow.id, list);
    this.live.set(flow.id, version);
    return { version, changed: true, warnings };
  }

  /** New calls can no longer start on the flow; calls on it continue. Returns whether it was published. */
  unpublish(id: string): boolean {
    return this.live.delete(id);
  }
}
