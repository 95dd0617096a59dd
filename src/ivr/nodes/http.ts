import { IvrError } from '../errors.js';
import type { NodeOf } from '../schema.js';
import type { JsonTemplate } from '../schema-values.js';
import type { NodeContext, NodeKind, NodeOutcome, TemplateField } from './kind.js';

type HttpNode = NodeOf<'http'>;

function bodyTemplates(value: JsonTemplate, field: string, out: TemplateField[]): void {
  if (typeof value === 'string') out.push({ field, text: value });
  else if (Array.isArray(value))
    value.forEach((v, i) => bodyTemplates(v as JsonTemplate, `${field}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) bodyTemplates(v as JsonTemplate, `${field}.${k}`, out);
  }
}

function renderBody(value: JsonTemplate, ctx: NodeContext): unknown {
  if (typeof value === 'string') return ctx.render(value);
  if (Array.isArray(value)) return value.map((v) => renderBody(v as JsonTemplate, ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderBody(v as JsonTemplate, ctx)]));
  }
  return value;
}

/** `$.data.items[0].name` or `data.items.0.name` → the segments. */
export function parseJsonPath(path: string): string[] {
  const body = path.trim().replace(/^\$\.?/, '');
  if (body === '') return [];
  return body
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

/** The value at a path, as text: objects as JSON, null or missing as the empty string. */
export function valueAt(json: unknown, path: string): string {
  let value: unknown = json;
  for (const key of parseJsonPath(path)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const failed = (message: string, details: Record<string, unknown>): NodeOutcome => ({
  fail: new IvrError('IVR_HTTP_FAILED', message, details),
});

/**
 * Calls a web service and maps fields of its JSON answer into variables. A non-2xx status,
 * no answer within `timeout`, a network failure, or (when `result` maps fields) a body
 * that is not JSON all leave by `error`. `statusInto` gets the status (0 without one).
 */
export const httpKind: NodeKind<HttpNode> = {
  media: false,
  exits: (n) => ({ ok: n.ok, error: n.error }),
  requiredExits: () => ['ok', 'error'],
  writes: (n) => [...Object.keys(n.result ?? {}), ...(n.statusInto === undefined ? [] : [n.statusInto])],
  templates: (n) => {
    const out: TemplateField[] = [{ field: 'url', text: n.url }];
    for (const [k, v] of Object.entries(n.headers ?? {})) out.push({ field: `headers.${k}`, text: v });
    if (n.body !== undefined) bodyTemplates(n.body, 'body', out);
    return out;
  },
  async run(n, ctx) {
    const fetch = ctx.ports.http;
    if (fetch === undefined)
      return { fail: new IvrError('IVR_PORT_MISSING', 'no HTTP client is configured') };
    const url = ctx.render(n.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.headers ?? {})) headers[k] = ctx.render(v);
    let body: string | undefined;
    if (n.body !== undefined) {
      body = JSON.stringify(renderBody(n.body, ctx));
      headers['content-type'] ??= 'application/json';
    }
    const setStatus = (status: number) =>
      n.statusInto !== undefined && ctx.vars.set(n.statusInto, String(status));
    const abort = new AbortController();
    const onCallerGone = () => abort.abort(new IvrError('IVR_HTTP_FAILED', 'the caller hung up'));
    ctx.signal.addEventListener('abort', onCallerGone, { once: true });
    const timer = ctx.ports.timers.setTimer(n.timeout * 1000, () =>
      abort.abort(new IvrError('IVR_HTTP_FAILED', `no answer within ${n.timeout} s`)),
    );
    try {
      const res = await fetch(url, {
        method: n.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: abort.signal,
      });
      const text = await res.text();
      setStatus(res.status);
      if (res.status < 200 || res.status > 299)
        return failed(`${n.method} ${url}: status ${res.status}`, { url, status: res.status });
      const mapping = Object.entries(n.result ?? {});
      if (mapping.length === 0) return { exit: 'ok' };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return failed(`${n.method} ${url}: the answer is not JSON`, { url, status: res.status });
      }
      for (const [variable, path] of mapping) ctx.vars.set(variable, valueAt(json, path));
      return { exit: 'ok' };
    } catch (err) {
      setStatus(0);
      const reason = abort.signal.aborted ? (abort.signal.reason as Error).message : (err as Error).message;
      return failed(`${n.method} ${url}: ${reason}`, { url });
    } finally {
      timer.cancel();
      ctx.signal.removeEventListener('abort', onCallerGone);
    }
  },
};
