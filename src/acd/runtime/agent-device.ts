/**
 * Agents' devices (docs/acd.md "Agent devices"): how an offered call reaches the agent and
 * what the caller hears before the bridge.
 *
 * - `phone`: the registered phones of the agent's extension (or of another extension, hot
 *   desking), rung per call;
 * - `external`: a number outside (mobile agent), dialled per call through the outbound
 *   routes and trunks;
 * - either one `persistent` (常摘机): called once and kept up, calls beep in instead of
 *   ringing (persistent-device.ts).
 *
 * With the queue's `announceAgent`, the caller hears the agent's number (座席报号) first.
 */
import type { Call } from '../../call/control/call.js';
import type { Leg } from '../../call/control/leg.js';
import type { Config } from '../../platform/config/index.js';
import type { Logger } from '../../platform/log.js';
import type { AcdServiceDeps } from './core.js';
import { PersistentDevices } from './persistent-device.js';

/** An agent's device as configured (`acd.agents[].device`) or chosen at login. */
export interface AgentDevice {
  readonly type: 'phone' | 'external';
  /** phone: the extension whose phones ring (default the agent's); external: the number dialled. */
  readonly number?: string;
  readonly persistent?: { readonly autoAnswerMs?: number; readonly idle: 'silence' | 'music' };
}

/** A device named at login (CTI `login.device`): it replaces the configured one, not its persistence. */
export interface LoginDevice {
  readonly type: 'phone' | 'external';
  readonly number: string;
}

/** One offered call reaching an agent's device. */
export interface DeviceAlert {
  /** The agent's leg while it is alerted (a ringing phone, the open leg); undefined through a trunk. */
  readonly leg: Leg | undefined;
  /** The agent's leg once it answered; undefined when the device failed or the alert was cancelled. */
  readonly answered: Promise<Leg | undefined>;
  /** Stops the alert, or gives back a leg that answered too late. */
  cancel(): void;
}

export type DeviceDeps = Pick<
  AcdServiceDeps,
  'control' | 'speech' | 'config' | 'contactsOf' | 'dial' | 'musicOnHold'
>;

const PHONE: AgentDevice = { type: 'phone' };

/** The device in force for an agent (pure): the login's choice, else the configured one, else its phones. */
export function deviceOf(acd: Config['acd'], agent: string, chosen?: LoginDevice): AgentDevice {
  const configured = acd.agents.find((a) => a.agent === agent)?.device ?? PHONE;
  if (chosen === undefined) return configured;
  return {
    type: chosen.type,
    number: chosen.number,
    ...(configured.persistent !== undefined ? { persistent: configured.persistent } : {}),
  };
}

export class AgentDevices {
  readonly persistent: PersistentDevices;
  /** Devices chosen at login, until logout. */
  private readonly chosen = new Map<string, LoginDevice>();

  constructor(
    private readonly deps: DeviceDeps,
    private readonly logger: Logger,
  ) {
    this.persistent = new PersistentDevices(deps, logger);
  }

  deviceOf(agent: string): AgentDevice {
    return deviceOf(this.deps.config(), agent, this.chosen.get(agent));
  }

  /** Whether the agent needs its persistent connection dialled before it can be ready. */
  connectsFirst(agent: string, chosen?: LoginDevice): boolean {
    const device = deviceOf(this.deps.config(), agent, chosen ?? this.chosen.get(agent));
    return device.persistent !== undefined && !this.persistent.isUp(agent);
  }

  /** After login: remembers the chosen device and dials a persistent one (ready once it is up). */
  loggedIn(agent: string, chosen: LoginDevice | undefined, ready: boolean): void {
    if (chosen !== undefined) this.chosen.set(agent, chosen);
    else this.chosen.delete(agent);
    this.connect(agent, ready);
  }

  /**
   * For `ready`: true when the agent's persistent connection is not there; it is dialled and
   * the agent goes ready once it is up.
   */
  readyLater(agent: string): boolean {
    if (!this.connectsFirst(agent)) return false;
    this.connect(agent, true);
    return true;
  }

  loggedOut(agent: string): void {
    this.chosen.delete(agent);
    this.persistent.close(agent);
  }

  /** The agent's own call (the connect code) becomes its persistent connection. */
  adopt(agent: string, leg: Leg): void {
    const device = this.deviceOf(agent);
    this.persistent.adopt(agent, { ...device, persistent: device.persistent ?? { idle: 'silence' } }, leg);
  }

  private connect(agent: string, ready: boolean): void {
    const device = this.deviceOf(agent);
    if (device.persistent !== undefined) this.persistent.open(agent, device, ready);
  }

  /**
   * Alerts the agent's device for `call`; undefined when it cannot be reached at all (no
   * phone registered, no outbound routing, no idle persistent connection).
   */
  async alert(
    call: Call,
    agent: string,
    opts: { readonly ringTimeoutMs: number; readonly attach?: boolean },
  ): Promise<DeviceAlert | undefined> {
    const device = this.deviceOf(agent);
    if (device.persistent !== undefined || this.persistent.has(agent))
      return this.persistent.offer(agent, call.id);
    if (device.type === 'external') return this.dialOut(call, agent, device.number ?? agent, opts);
    const contacts = this.deps.contactsOf(device.number ?? agent);
    if (contacts.length === 0) return undefined;
    const leg = await this.deps.control.originate(call, agent, { contacts, role: 'agent', ...opts });
    return {
      leg,
      answered: this.deps.control.answered(leg).then((up) => (up ? leg : undefined)),
      cancel: () => {
        if (!leg.isEnded) leg.hangup(leg.isUp ? 200 : 487);
      },
    };
  }

  private dialOut(
    call: Call,
    agent: string,
    number: string,
    opts: { readonly ringTimeoutMs: number },
  ): DeviceAlert | undefined {
    const dial = this.deps.dial;
    if (dial === undefined) return undefined;
    const abort = new AbortController();
    let leg: Leg | undefined;
    const signal = abort.signal;
    const answered = dial(call, number, {
      caller: call.caller,
      ringTimeoutMs: opts.ringTimeoutMs,
      signal,
      role: 'agent',
    })
      .then((r) => {
        if (r.leg === undefined)
          this.logger.info({ callId: call.id, agentId: agent, status: r.status }, 'mobile agent not reached');
        return (leg = r.leg);
      })
      .catch((err: unknown) => {
        this.logger.error({ err, callId: call.id, agentId: agent }, 'mobile agent could not be dialled');
        return undefined;
      });
    return {
      leg: undefined,
      answered,
      cancel: () => {
        abort.abort();
        if (leg !== undefined && !leg.isEnded) leg.hangup(200);
      },
    };
  }

  /** Whether the agent's leg is a persistent connection (it stays up when the call ends). */
  isPersistent(leg: Leg): boolean {
    return this.persistent.isOpenLeg(leg);
  }

  /** The agent's leg leaves the call: hung up, or, for a persistent connection, kept for the next one. */
  release(leg: Leg, status: number): void {
    if (this.persistent.isOpenLeg(leg)) this.persistent.release(leg, status);
    else if (!leg.isEnded) leg.hangup(status);
  }

  /**
   * A persistent leg leaves the call it talks on while the other party stays (a transfer, an
   * intercept): unbridged and back to idle, up for the next call. False for any other leg.
   */
  leave(leg: Leg): boolean {
    if (!this.persistent.isOpenLeg(leg)) return false;
    // The bridge is gone at once; the media follow.
    void this.deps.control
      .unbridge(leg)
      .catch((err: unknown) => this.logger.error({ err, callId: leg.callId }, 'connection not unbridged'));
    this.persistent.leave(leg);
    return true;
  }

  /** Just before the bridge: a persistent leg follows the caller, who hears the agent's number if the queue says so. */
  async beforeBridge(queue: string, caller: Leg, agent: string, agentLeg: Leg): Promise<void> {
    this.persistent.joined(agentLeg, caller);
    const acd = this.deps.config();
    if (acd.queues.find((q) => q.name === queue)?.announceAgent !== true) return;
    const digits = acd.agents.find((a) => a.agent === agent)?.workNumber ?? agent;
    try {
      const items = await this.deps.speech.prompt('agent-number', { digits });
      if (!caller.isEnded) await caller.play(items);
    } catch (err) {
      // The call goes on without the announcement.
      this.logger.error(
        { err, callId: caller.callId, agentId: agent },
        'agent number could not be announced',
      );
    }
  }
}
