/** One call's run through its flows: the loop, the error path, the onHangup chain. */
import type { Logger } from '../platform/log.js';
import type { PromptSpec } from '../routing/types.js';
import { asIvrError, IvrError } from './errors.js';
import type { EngineSettings } from './interpreter.js';
import { MAX_HANGUP_STEPS } from './limits.js';
import type { NodeContext, NodeOutcome } from './nodes/kind.js';
import { kindOf } from './nodes/registry.js';
import { resolvePrompts } from './prompts.js';
import type { FlowNode } from './schema.js';
import { renderTemplate } from './template.js';
import type {
  AssociatedData,
  CallInfo,
  FlowVersion,
  IvrChannel,
  IvrEnd,
  IvrFailure,
  IvrResult,
} from './types.js';
import { CallVariables } from './variables.js';

/** Said before the flow hangs up on a failure or the loop guard. */
const APOLOGY_TEXT = {
  'zh-CN': '抱歉，系统暂时无法处理您的来电，请稍后再拨。',
  en: 'Sorry, we cannot handle your call right now. Please call again later.',
} as const;

const NORMAL_CLEARING = 16;
const never = new AbortController().signal;

export class CallRun {
  private flow: FlowVersion;
  private readonly vars: CallVariables;
  private readonly logger: Logger;
  private readonly failures: IvrFailure[] = [];
  private steps = 0;

  constructor(
    private readonly s: EngineSettings,
    start: FlowVersion,
    private readonly channel: IvrChannel,
    private readonly call: CallInfo,
  ) {
    this.flow = start;
    this.vars = new CallVariables(
      call,
      () => channel.now(),
      start.flow.timeZone ?? s.timeZone,
      start.flow.lang,
    );
    this.vars.declare(start.flow.variables);
    this.logger = s.logger.child({ callId: call.callId, flowId: start.id });
  }

  async execute(): Promise<IvrResult> {
    let nodeId = this.flow.flow.start;
    for (;;) {
      if (this.channel.hungUp.aborted) return this.callerHungUp(nodeId);
      if (this.steps >= this.s.maxSteps) {
        this.fail(
          nodeId,
          new IvrError('IVR_MAX_STEPS', `the call visited ${this.steps} nodes; the loop guard ends it`),
        );
        return this.politeHangup('maxSteps');
      }
      const node = this.flow.flow.nodes[nodeId];
      if (node === undefined) {
        this.fail(
          nodeId,
          new IvrError('IVR_NODE_UNKNOWN', `no node ${JSON.stringify(nodeId)} in flow ${this.flow.id}`),
        );
        return this.politeHangup('error');
      }
      const outcome = await this.visit(nodeId, node, this.channel.hungUp);
      // A node that ended the call (a hangup, a transfer) wins over the hang-up it causes.
      if ('end' in outcome) return this.result(outcome.end, outcome.data);
      if (this.channel.hungUp.aborted) return this.callerHungUp(nodeId);
      if ('goto' in outcome) {
        nodeId = this.enter(this.s.flows!.current(outcome.goto)!);
        continue;
      }
      const next = 'fail' in outcome ? this.errorTarget(nodeId, node) : this.exitTarget(node, outcome.exit);
      if (next === undefined) return this.politeHangup('fail' in outcome ? 'error' : 'noExit');
      nodeId = next;
    }
  }

  /** A goto: the call continues at the other flow's start, keeping its variables. */
  private enter(flow: FlowVersion): string {
    this.flow = flow;
    this.vars.declare(flow.flow.variables);
    this.vars.timeZone = flow.flow.timeZone ?? this.s.timeZone;
    return flow.flow.start;
  }

  private exitTarget(node: FlowNode, exit: string): string | undefined {
    const kind = kindOf(node);
    const exits = kind.exits(node);
    const fallback = kind.fallback?.[exit];
    return exits[exit] ?? (fallback === undefined ? undefined : exits[fallback]);
  }

  /** The node's error exit, else the flow's onError (unless that is where it failed). */
  private errorTarget(nodeId: string, node: FlowNode): string | undefined {
    const own = kindOf(node).exits(node)['error'];
    if (own !== undefined) return own;
    const onError = this.flow.flow.onError;
    return onError !== nodeId ? onError : undefined;
  }

  private async visit(nodeId: string, node: FlowNode, signal: AbortSignal): Promise<NodeOutcome> {
    const enteredAt = this.channel.now();
    let outcome: NodeOutcome;
    try {
      outcome = await kindOf(node).run(node, this.context(nodeId, signal));
    } catch (err) {
      outcome = { fail: asIvrError(err) };
    }
    if ('goto' in outcome && this.s.flows?.current(outcome.goto) === undefined) {
      outcome = {
        fail: new IvrError('IVR_FLOW_UNKNOWN', `goto: no published flow ${JSON.stringify(outcome.goto)}`),
      };
    }
    const hungUp = signal.aborted;
    if ('fail' in outcome && !hungUp) this.fail(nodeId, outcome.fail);
    const exit = hungUp ? null : 'exit' in outcome ? outcome.exit : 'fail' in outcome ? 'error' : null;
    const digits = 'digits' in outcome ? (outcome.digits ?? null) : null;
    this.steps++;
    this.writeStep({
      callId: this.call.callId,
      flowId: this.flow.id,
      flowVersion: this.flow.version,
      nodeId,
      nodeType: node.type,
      enteredAt,
      exit,
      digits,
      durationMs: Math.max(0, this.channel.now() - enteredAt),
    });
    return outcome;
  }

  private context(nodeId: string, signal: AbortSignal): NodeContext {
    const vars = this.vars;
    return {
      callId: this.call.callId,
      flow: this.flow,
      nodeId,
      channel: this.channel,
      vars,
      signal,
      ports: this.s.ports,
      logger: this.logger,
      prompts: (specs) => resolvePrompts(specs, vars.lang, vars.lookup, this.flow.flow.texts),
      render: (text) => renderTemplate(text, vars.lookup),
    };
  }

  private writeStep(step: Parameters<NonNullable<EngineSettings['stepLog']>['write']>[0]): void {
    const log = this.s.stepLog;
    if (log === undefined) return;
    const failed = (err: unknown) =>
      this.logger.error({ err, nodeId: step.nodeId }, 'IVR step could not be logged');
    try {
      const pending = log.write(step);
      if (pending instanceof Promise) pending.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  private fail(nodeId: string, err: IvrError): void {
    this.failures.push({ flowId: this.flow.id, nodeId, code: err.code, message: err.message });
    this.logger.warn({ nodeId, code: err.code, err }, 'IVR node failed');
  }

  /** The caller left: run the flow's onHangup chain (non-media nodes only), then end. */
  private async callerHungUp(atNode: string): Promise<IvrResult> {
    const end: IvrEnd = { kind: 'callerHangup', flowId: this.flow.id, nodeId: atNode };
    let nodeId = this.flow.flow.onHangup;
    for (let n = 0; nodeId !== undefined && n < MAX_HANGUP_STEPS; n++) {
      const node: FlowNode | undefined = this.flow.flow.nodes[nodeId];
      if (node === undefined || kindOf(node).media || node.type === 'goto') {
        this.logger.warn({ nodeId }, 'onHangup reached a node that cannot run after the caller hung up');
        break;
      }
      const outcome = await this.visit(nodeId, node, never);
      if ('end' in outcome || 'goto' in outcome) break;
      nodeId = 'fail' in outcome ? kindOf(node).exits(node)['error'] : this.exitTarget(node, outcome.exit);
    }
    return this.result(end);
  }

  private async politeHangup(reason: 'error' | 'maxSteps' | 'noExit'): Promise<IvrResult> {
    const lang = this.vars.lang;
    const prompts: readonly PromptSpec[] =
      reason === 'noExit' ? [{ prompt: 'goodbye' }] : [{ tts: APOLOGY_TEXT[lang] }, { prompt: 'goodbye' }];
    if (!this.channel.hungUp.aborted) {
      try {
        await this.channel.play(resolvePrompts(prompts, lang, this.vars.lookup, this.flow.flow.texts), {
          lang,
          bargeIn: false,
        });
      } catch (err) {
        this.logger.warn({ err }, 'IVR goodbye could not be played');
      }
      try {
        await this.channel.hangup(NORMAL_CLEARING);
      } catch (err) {
        this.logger.warn({ err }, 'IVR hangup failed');
      }
    }
    return this.result({ kind: 'hangup', cause: NORMAL_CLEARING, reason });
  }

  /** The last resort when the engine itself faulted: hang up and report. */
  async crashed(err: Error): Promise<IvrResult> {
    this.logger.error({ err }, 'IVR engine fault');
    this.failures.push({ flowId: this.flow.id, nodeId: '', code: 'IVR_NODE_FAILED', message: err.message });
    if (!this.channel.hungUp.aborted) {
      await this.channel
        .hangup(NORMAL_CLEARING)
        .catch((e: unknown) => this.logger.warn({ err: e }, 'IVR hangup failed'));
    }
    return this.result({ kind: 'hangup', cause: NORMAL_CLEARING, reason: 'error' });
  }

  private result(end: IvrEnd, data?: AssociatedData): IvrResult {
    return {
      callId: this.call.callId,
      end,
      data: data ?? this.vars.snapshot(),
      flowId: this.flow.id,
      flowVersion: this.flow.version,
      steps: this.steps,
      failures: [...this.failures],
    };
  }
}
