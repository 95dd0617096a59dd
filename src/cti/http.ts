/**
 * Plain HTTP beside the CTI WebSocket, on the same port: `GET /acd/stats` answers today's
 * queue and agent figures as JSON, for wallboards and reporting scripts that do not want to
 * hold a WebSocket. It is the CTI `stats` request in another envelope: the same bearer
 * token, the same role rule (supervisor or integration), the same validation and errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../platform/log.js';
import { findIdentity, presentedToken, type CtiTokenEntry } from './auth.js';
import { handleFrame } from './dispatch.js';
import type { CtiErrorCode } from './errors.js';
import type { CtiBackend } from './types.js';

export const STATS_PATH = '/acd/stats';

const STATUS: Readonly<Record<CtiErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNSUPPORTED_VERSION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  NOT_YOUR_CALL: 403,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface HttpContext {
  readonly tokens: readonly CtiTokenEntry[];
  readonly backend: CtiBackend;
  readonly logger: Logger;
}

/** Answers one plain HTTP request on the CTI port. */
export async function serveHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://cti.invalid');
  if (url.pathname !== STATS_PATH) {
    res
      .writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
      .end(`use a WebSocket on /cti, or GET ${STATS_PATH}\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return json(
      res,
      405,
      { code: 'BAD_REQUEST', reason: `${req.method ?? '?'}: only GET` },
      { allow: 'GET' },
    );
  }
  const identity = findIdentity(ctx.tokens, presentedToken(req.headers.authorization, url));
  if (identity === undefined) {
    return json(
      res,
      401,
      { code: 'UNAUTHORIZED', reason: 'missing or unknown bearer token' },
      { 'www-authenticate': 'Bearer realm="hotline-cti"' },
    );
  }
  const request = {
    v: 1,
    id: 'http',
    type: 'stats',
    ...listParam(url, 'queues'),
    ...listParam(url, 'agents'),
  };
  const response = await handleFrame(JSON.stringify(request), {
    identity,
    backend: ctx.backend,
    watches: { watch: () => Promise.reject(new Error('no watches over HTTP')) },
    logger: ctx.logger,
  });
  if (response.ok) return json(res, 200, response.result);
  return json(res, STATUS[response.error.code as CtiErrorCode] ?? 500, response.error);
}

/** `?queues=sales,support` → `{ queues: ['sales', 'support'] }`; absent → nothing (all). */
function listParam(url: URL, name: string): Record<string, string[]> {
  const raw = url.searchParams.get(name);
  if (raw === null) return {};
  return { [name]: raw === '' ? [] : raw.split(',').map((s) => s.trim()) };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
      ...headers,
    })
    .end(text);
}
