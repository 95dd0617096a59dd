/**
 * Authentication and authorization, as pure functions: which token a client presented,
 * and whether its identity may send a request. The server applies both before the
 * backend sees anything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CtiError } from './errors.js';
import { AGENT_REQUEST_TYPES, type CtiRequest, type CtiRole } from './protocol.js';
import type { CtiIdentity } from './types.js';

export interface CtiTokenEntry {
  readonly token: string;
  readonly role: CtiRole;
  readonly name: string;
  readonly agent?: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The identity of `presented`, or undefined. Compares digests in constant time, so the
 * time taken does not reveal how much of a token was right.
 */
export function findIdentity(
  tokens: readonly CtiTokenEntry[],
  presented: string | undefined,
): CtiIdentity | undefined {
  if (presented === undefined || presented === '') return undefined;
  const wanted = digest(presented);
  let found: CtiTokenEntry | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(digest(entry.token), wanted)) found ??= entry;
  }
  if (found === undefined) return undefined;
  return { name: found.name, role: found.role, ...(found.agent !== undefined && { agent: found.agent }) };
}

/** The bearer token of an upgrade request: `Authorization: Bearer …`, else `?token=…`. */
export function presentedToken(authorization: string | undefined, url: URL): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return bearer ?? url.searchParams.get('token') ?? undefined;
}

const AGENT_TYPES: ReadonlySet<string> = new Set(AGENT_REQUEST_TYPES);
/** Supervisor requests that connect the supervisor's own device to a call. */
const NEEDS_DEVICE: ReadonlySet<string> = new Set(['monitor', 'whisper', 'barge', 'intercept', 'pickup']);

/** The decision for one request: the agent it acts for (agent requests), or a coded refusal. */
export interface Authorized {
  readonly agent?: string;
}

/**
 * The role rules of docs/cti.md:
 * - agent requests: an agent token acts only as its own agent; a supervisor or
 *   integration token names the agent (or uses the one it is bound to);
 * - watch/unwatch: every role, but an agent token watches queues and itself only;
 * - stats: supervisor and integration roles;
 * - every other supervisor request: supervisor role only.
 */
export function authorize(identity: CtiIdentity, request: CtiRequest): Authorized {
  if (AGENT_TYPES.has(request.type)) {
    const named = 'agent' in request ? request.agent : undefined;
    if (identity.role === 'agent' && named !== undefined && named !== identity.agent) {
      throw new CtiError(
        'FORBIDDEN',
        `an agent token acts only as agent ${identity.agent ?? '?'}, not ${named}`,
        {
          field: 'agent',
        },
      );
    }
    const agent = named ?? identity.agent;
    if (agent === undefined) {
      throw new CtiError(
        'BAD_REQUEST',
        `agent: required, because token "${identity.name}" is bound to no agent`,
        {
          field: 'agent',
        },
      );
    }
    return { agent };
  }
  if (request.type === 'watch' || request.type === 'unwatch') {
    if (identity.role === 'agent') {
      const other = request.agents?.find((a) => a !== identity.agent);
      if (other !== undefined) {
        throw new CtiError('FORBIDDEN', `an agent token may not watch agent ${other}`, { field: 'agents' });
      }
    }
    return identity.agent === undefined ? {} : { agent: identity.agent };
  }
  // Today's figures are read-only: wallboards and reporting (integration tokens) may read them.
  if (request.type === 'stats' && identity.role === 'integration') return {};
  if (identity.role !== 'supervisor') {
    throw new CtiError(
      'FORBIDDEN',
      `${request.type} needs the supervisor role; token "${identity.name}" is ${identity.role}`,
    );
  }
  if (NEEDS_DEVICE.has(request.type) && identity.agent === undefined) {
    throw new CtiError(
      'FORBIDDEN',
      `${request.type} connects the supervisor's own device, but token "${identity.name}" is bound to no agent`,
    );
  }
  return identity.agent === undefined ? {} : { agent: identity.agent };
}

/** The calls a request names that its agent must be a party to. */
export function callsToCheck(request: CtiRequest): string[] {
  if (!AGENT_TYPES.has(request.type)) return [];
  const calls: string[] = [];
  if ('callId' in request) calls.push(request.callId);
  if ('consultCallId' in request) calls.push(request.consultCallId);
  return calls;
}
