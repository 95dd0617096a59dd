/**
 * Test doubles for the CTI layer: a fake backend that records every request and answers
 * from plain maps, and a small WebSocket client that matches responses to requests.
 */
import { WebSocket } from 'ws';
import { silentLogger } from '../platform/log.js';
import type { CtiTokenEntry } from './auth.js';
import { CtiError } from './errors.js';
import type {
  AgentStatus,
  CtiEvent,
  CtiRequestOf,
  CtiRequestType,
  CtiResponse,
  CtiResultOf,
  QueueStats,
} from './protocol.js';
import { AGENT_REQUEST_TYPES, SUPERVISOR_REQUEST_TYPES } from './protocol.js';
import { startCtiServer, type CtiServer, type CtiServerOptions } from './server.js';
import type { BackendRequestType, CtiBackend, CtiCaller, CtiRequestHandlers } from './types.js';

export interface ReceivedRequest {
  readonly type: BackendRequestType;
  readonly request: CtiRequestOf<BackendRequestType>;
  readonly caller: CtiCaller;
}

export const FAKE_T0 = 1_700_000_000_000;

export function fakeStatus(agent: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return { agent, presence: 'ready', activity: 'idle', queues: ['sales'], since: FAKE_T0, ...over };
}

export function fakeQueueStats(queue: string, over: Partial<QueueStats> = {}): QueueStats {
  return {
    queue,
    waiting: 2,
    longestWaitMs: 31_000,
    agentsLoggedIn: 5,
    agentsReady: 1,
    agentsOnCall: 4,
    offered: 120,
    answered: 110,
    abandoned: 6,
    serviceLevel: 0.85,
    agentsNotReady: 0,
    agentsInWrapUp: 0,
    asaMs: 12_000,
    ahtMs: 185_000,
    ...over,
  };
}

/** The canned result of each request type, built from the request and the caller. */
function cannedResult<K extends BackendRequestType>(
  fake: FakeCtiBackend,
  type: K,
  request: CtiRequestOf<K>,
  caller: CtiCaller,
): CtiResultOf<K> {
  const agent = caller.agent ?? 'none';
  const status = (over: Partial<AgentStatus>): AgentStatus =>
    fake.statuses.get(agent) ?? fakeStatus(agent, over);
  const results: { [T in BackendRequestType]?: () => unknown } = {
    login: () => status({ presence: 'notReady', reason: 'login' }),
    logout: () => status({ presence: 'loggedOut', queues: [] }),
    ready: () => status({ presence: 'ready' }),
    notReady: () => status({ presence: 'notReady' }),
    wrapUpDone: () => status({ activity: 'idle' }),
    consult: () => ({ consultCallId: `consult-${fake.received.length}` }),
    makeCall: () => ({ callId: `out-${fake.received.length}` }),
    setAssociatedData: () => ({ data: 'data' in request ? request.data : {} }),
    forceLogout: () => fakeStatus((request as CtiRequestOf<'forceLogout'>).agent, { presence: 'loggedOut' }),
    forceReady: () => fakeStatus((request as CtiRequestOf<'forceReady'>).agent),
    forceNotReady: () =>
      fakeStatus((request as CtiRequestOf<'forceNotReady'>).agent, { presence: 'notReady' }),
    stats: () => ({ queues: [], agents: [] }),
  };
  return (results[type]?.() ?? {}) as CtiResultOf<K>;
}

/**
 * A CtiBackend over maps (`backend`); set `failures` to make the next request of a type
 * throw, read `received` to see what reached the backend.
 */
export class FakeCtiBackend {
  readonly backend: CtiBackend;
  readonly received: ReceivedRequest[] = [];
  /** callId → the agents party to it. */
  readonly calls = new Map<string, string[]>();
  readonly statuses = new Map<string, AgentStatus>();
  readonly stats = new Map<string, QueueStats>();
  /** request type → the error its next call throws. */
  readonly failures = new Map<BackendRequestType, Error>();
  statsReads = 0;

  constructor() {
    const types = [...AGENT_REQUEST_TYPES, ...SUPERVISOR_REQUEST_TYPES].filter(
      (t): t is BackendRequestType => t !== 'watch' && t !== 'unwatch',
    );
    const handlers: Record<string, unknown> = {};
    for (const type of types) {
      handlers[type] = (request: CtiRequestOf<typeof type>, caller: CtiCaller) =>
        this.handle(type, request, caller);
    }
    this.backend = {
      ...(handlers as CtiRequestHandlers),
      callAgents: (callId) => Promise.resolve(this.calls.get(callId)),
      queueStats: (queues) => this.queueStats(queues),
      agentStatus: (agents) => Promise.resolve(agents.map((a) => this.statuses.get(a) ?? fakeStatus(a))),
    };
  }

  private async handle<K extends BackendRequestType>(
    type: K,
    request: CtiRequestOf<K>,
    caller: CtiCaller,
  ): Promise<CtiResultOf<K>> {
    this.received.push({ type, request, caller });
    const failure = this.failures.get(type);
    if (failure !== undefined) {
      this.failures.delete(type);
      throw failure;
    }
    return cannedResult(this, type, request, caller);
  }

  async queueStats(queues: readonly string[]): Promise<readonly QueueStats[]> {
    this.statsReads++;
    return queues.flatMap((q) => {
      const s = this.stats.get(q);
      return s === undefined ? [] : [s];
    });
  }

  /** A coded error for `failures`. */
  static error(code: ConstructorParameters<typeof CtiError>[0], message: string): CtiError {
    return new CtiError(code, message);
  }
}

/** A CTI client for tests: `request` resolves with the matching response; events are kept. */
export class TestCtiClient {
  readonly events: CtiEvent[] = [];
  private readonly pending = new Map<string | number, (r: CtiResponse) => void>();
  private readonly orphans: CtiResponse[] = [];
  private waiters: (() => void)[] = [];
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as CtiEvent | CtiResponse;
      if ('event' in msg) {
        this.events.push(msg);
      } else {
        const resolve = msg.id === null ? undefined : this.pending.get(msg.id);
        if (resolve !== undefined && msg.id !== null) {
          this.pending.delete(msg.id);
          resolve(msg);
        } else {
          this.orphans.push(msg);
        }
      }
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
  }

  static connect(port: number, token?: string, viaQuery = false): Promise<TestCtiClient> {
    const query = token !== undefined && viaQuery ? `?token=${encodeURIComponent(token)}` : '';
    const headers = token !== undefined && !viaQuery ? { authorization: `Bearer ${token}` } : undefined;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/cti${query}`, headers === undefined ? {} : { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestCtiClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Sends `body` with `v: 1` and a fresh id unless given, and waits for its response. */
  request(body: Record<string, unknown>): Promise<CtiResponse> {
    const id = (body['id'] as string | number | undefined) ?? `r${++this.seq}`;
    return this.sendRaw(JSON.stringify({ v: 1, id, ...body }), id);
  }

  /** Sends text as is; resolves with the response to `id` (null: the next response without one). */
  sendRaw(text: string, id: string | number | null): Promise<CtiResponse> {
    return new Promise((resolve) => {
      if (id === null) {
        void this.until(() => this.orphans.length > 0, 2_000).then(() => resolve(this.orphans.shift()!));
      } else {
        this.pending.set(id, resolve);
      }
      this.ws.send(text);
    });
  }

  /** Waits until `check` holds (checked after each message), or rejects after `ms`. */
  async until(check: () => boolean, ms = 2_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a CTI message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/**
 * One valid request body (without v and id) of every type, acting for agent 1001 on call
 * `c-1001` where it names a call. Supervisor requests name agent 1002 or call `c-1002`.
 */
export const SAMPLE_REQUESTS: { readonly [K in CtiRequestType]: Readonly<Record<string, unknown>> } = {
  login: { type: 'login', queues: ['sales', 'support'], device: '1001' },
  logout: { type: 'logout', reason: 'endOfShift' },
  ready: { type: 'ready' },
  notReady: { type: 'notReady', reason: 'lunch' },
  answer: { type: 'answer', callId: 'c-1001' },
  hangup: { type: 'hangup', callId: 'c-1001' },
  hold: { type: 'hold', callId: 'c-1001' },
  retrieve: { type: 'retrieve', callId: 'c-1001' },
  consult: { type: 'consult', callId: 'c-1001', target: { type: 'queue', queue: 'billing' } },
  transfer: {
    type: 'transfer',
    callId: 'c-1001',
    mode: 'blind',
    target: { type: 'number', number: '13800138000' },
  },
  conference: { type: 'conference', callId: 'c-1001', consultCallId: 'c-1001-consult' },
  sendDtmf: { type: 'sendDtmf', callId: 'c-1001', digits: '123#' },
  makeCall: { type: 'makeCall', number: '13800138000', data: { orderId: 'A-42' } },
  transferToIvr: { type: 'transferToIvr', callId: 'c-1001', flow: 'survey' },
  transferToQueue: {
    type: 'transferToQueue',
    callId: 'c-1001',
    queue: 'vip',
    priority: 5,
    skills: { en: 3 },
  },
  wrapUpDone: { type: 'wrapUpDone' },
  setAssociatedData: { type: 'setAssociatedData', callId: 'c-1001', data: { 客户: '张三', vip: true } },
  watch: { type: 'watch', queues: ['sales'] },
  unwatch: { type: 'unwatch' },
  monitor: { type: 'monitor', callId: 'c-1002' },
  whisper: { type: 'whisper', callId: 'c-1002' },
  barge: { type: 'barge', callId: 'c-1002' },
  forceRelease: { type: 'forceRelease', callId: 'c-1002' },
  intercept: { type: 'intercept', callId: 'c-1002' },
  forceLogout: { type: 'forceLogout', agent: '1002' },
  forceReady: { type: 'forceReady', agent: '1002' },
  forceNotReady: { type: 'forceNotReady', agent: '1002', reason: 'meeting' },
  setCallPriority: { type: 'setCallPriority', callId: 'c-1002', priority: 9 },
  moveCall: { type: 'moveCall', callId: 'c-1002', to: { type: 'agent', agent: '1003' } },
  pickup: { type: 'pickup', callId: 'c-1002' },
  stats: { type: 'stats', queues: ['sales'] },
};

/** Tokens of the test servers: agents 1001 and 1002, a supervisor at 8001, a CRM. */
export const TEST_TOKENS = {
  agent1001: 'test-token-agent-1001',
  agent1002: 'test-token-agent-1002',
  supervisor: 'test-token-supervisor',
  crm: 'test-token-crm',
} as const;

export const TEST_TOKEN_ENTRIES: readonly CtiTokenEntry[] = [
  { token: TEST_TOKENS.agent1001, role: 'agent', name: 'desk-1001', agent: '1001' },
  { token: TEST_TOKENS.agent1002, role: 'agent', name: 'desk-1002', agent: '1002' },
  { token: TEST_TOKENS.supervisor, role: 'supervisor', name: 'lead', agent: '8001' },
  { token: TEST_TOKENS.crm, role: 'integration', name: 'crm' },
];

/** A real CTI server on a free loopback port over a fresh fake backend. */
export async function startFakeCtiServer(
  over: Partial<CtiServerOptions> = {},
): Promise<{ server: CtiServer; fake: FakeCtiBackend }> {
  const fake = new FakeCtiBackend();
  fake.calls.set('c-1001', ['1001']);
  fake.calls.set('c-1001-consult', ['1001', '1003']);
  fake.calls.set('c-1002', ['1002']);
  const server = await startCtiServer({
    port: 0,
    bindAddress: '127.0.0.1',
    tokens: TEST_TOKEN_ENTRIES,
    backend: fake.backend,
    logger: silentLogger(),
    ...over,
  });
  return { server, fake };
}
