/**
 * One incoming frame to one response: parse, check the version, validate against the
 * protocol, apply the role and ownership rules, then call the backend. Never throws: every
 * failure becomes an error response with a code.
 */
import type { ZodError } from 'zod';
import type { Logger } from '../platform/log.js';
import { authorize, callsToCheck } from './auth.js';
import { CtiError, isCtiError } from './errors.js';
import {
  CTI_PROTOCOL_VERSION,
  ctiRequestSchema,
  type CtiErrorBody,
  type CtiRequest,
  type CtiResponse,
} from './protocol.js';
import type { BackendRequestType, CtiBackend, CtiCaller, CtiIdentity } from './types.js';

/** What the connection itself answers: its watch list. */
export interface WatchHandler {
  watch(request: Extract<CtiRequest, { type: 'watch' | 'unwatch' }>): Promise<unknown>;
}

export interface DispatchContext {
  readonly identity: CtiIdentity;
  readonly backend: CtiBackend;
  readonly watches: WatchHandler;
  readonly logger: Logger;
}

type Id = string | number | null;

function fail(id: Id, error: CtiErrorBody): CtiResponse {
  return { v: CTI_PROTOCOL_VERSION, id, ok: false, error };
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The first zod issue as `field: message`, so a client sees which field was wrong. */
export function describeZodError(err: ZodError): CtiErrorBody {
  const issue = err.issues[0];
  const field = issue === undefined ? '' : pathOf(issue.path);
  const message = issue?.message ?? 'invalid request';
  return {
    code: 'BAD_REQUEST',
    reason: field === '' ? message : `${field}: ${message}`,
    ...(field !== '' && { field }),
  };
}

function idOf(raw: unknown): Id {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

export async function handleFrame(text: string, ctx: DispatchContext): Promise<CtiResponse> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return fail(null, { code: 'BAD_REQUEST', reason: `not JSON: ${(err as Error).message}` });
  }
  const id = idOf(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(id, { code: 'BAD_REQUEST', reason: 'a request must be a JSON object' });
  }
  const v = (raw as { v?: unknown }).v;
  if (v !== undefined && v !== CTI_PROTOCOL_VERSION) {
    return fail(id, {
      code: 'UNSUPPORTED_VERSION',
      reason: `v: protocol version ${JSON.stringify(v)} is not supported; this server speaks ${CTI_PROTOCOL_VERSION}`,
      field: 'v',
    });
  }
  const parsed = ctiRequestSchema.safeParse(raw);
  if (!parsed.success) return fail(id, describeZodError(parsed.error));
  try {
    const result = await execute(parsed.data, ctx);
    return { v: CTI_PROTOCOL_VERSION, id: parsed.data.id, ok: true, result };
  } catch (err) {
    return fail(parsed.data.id, toErrorBody(err, parsed.data, ctx));
  }
}

async function execute(request: CtiRequest, ctx: DispatchContext): Promise<unknown> {
  const { agent } = authorize(ctx.identity, request);
  if (request.type === 'watch' || request.type === 'unwatch') return ctx.watches.watch(request);
  for (const callId of callsToCheck(request)) {
    const parties = await ctx.backend.callAgents(callId);
    if (parties === undefined) throw new CtiError('NOT_FOUND', `no call ${callId}`, { field: 'callId' });
    if (agent === undefined || !parties.includes(agent)) {
      throw new CtiError('NOT_YOUR_CALL', `call ${callId} does not belong to agent ${agent ?? '?'}`);
    }
  }
  const caller: CtiCaller = { identity: ctx.identity, ...(agent !== undefined && { agent }) };
  return callBackend(ctx.backend, request as Extract<CtiRequest, { type: BackendRequestType }>, caller);
}

/** The one place where the request's type picks its method; the types line up per key. */
function callBackend(
  backend: CtiBackend,
  request: Extract<CtiRequest, { type: BackendRequestType }>,
  caller: CtiCaller,
): Promise<unknown> {
  const method = backend[request.type] as (r: typeof request, c: CtiCaller) => Promise<unknown>;
  return method.call(backend, request, caller);
}

function toErrorBody(err: unknown, request: CtiRequest, ctx: DispatchContext): CtiErrorBody {
  if (isCtiError(err)) {
    const field = err.details?.['field'];
    return { code: err.code, reason: err.message, ...(typeof field === 'string' && { field }) };
  }
  ctx.logger.error(
    { err, request: request.type, id: request.id, token: ctx.identity.name },
    'CTI request failed',
  );
  return { code: 'INTERNAL', reason: `${request.type} failed unexpectedly; see the server log` };
}
