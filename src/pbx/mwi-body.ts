/**
 * The message-summary event package (RFC 3842) as plain data: the NOTIFY body, the Event
 * header, the Accept check and the subscription duration (RFC 6665). Pure.
 */
import type { MessageCounts } from '../report/voicemail.js';

export const MWI_EVENT = 'message-summary';
export const MWI_CONTENT_TYPE = 'application/simple-message-summary';

/**
 * RFC 3842 §5.2: `Messages-Waiting` says whether any message is new; `Message-Account` is
 * the mailbox the phone dials to listen; `Voice-Message: new/old (urgent new/urgent old)`.
 * Hotline has no urgent messages, so the part in parentheses is always (0/0).
 */
export function messageSummaryBody(counts: MessageCounts, account: string): string {
  return [
    `Messages-Waiting: ${counts.newCount > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.newCount}/${counts.oldCount} (0/0)`,
    '',
  ].join('\r\n');
}

export interface EventHeader {
  /** The package name, lower-cased (event types compare case-insensitively, RFC 6665 §8.2.1). */
  readonly pkg: string;
  /** The `id` parameter, echoed in every NOTIFY of the subscription (RFC 6665 §8.2.3). */
  readonly id?: string;
}

/** Reads `Event: message-summary;id=7`; undefined when the header is missing or empty. */
export function parseEventHeader(value: string | undefined): EventHeader | undefined {
  if (value === undefined) return undefined;
  const [pkg, ...params] = value.split(';').map((p) => p.trim());
  if (!pkg) return undefined;
  const id = params.map((p) => /^id\s*=\s*(.+)$/i.exec(p)?.[1]).find((v): v is string => v !== undefined);
  return { pkg: pkg.toLowerCase(), ...(id !== undefined ? { id } : {}) };
}

/** The Event header of our NOTIFYs for a subscription with this id. */
export function eventHeaderValue(id?: string): string {
  return id === undefined ? MWI_EVENT : `${MWI_EVENT};id=${id}`;
}

/** RFC 3842 §4.3: a subscriber may list what bodies it takes; none listed means ours. */
export function acceptsSummary(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((t) => t.split(';')[0]!.trim().toLowerCase())
    .some((t) => t === MWI_CONTENT_TYPE || t === 'application/*' || t === '*/*');
}

export interface ExpiryLimits {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** RFC 3842 §4.4 suggests an hour when the subscriber names none. */
  readonly defaultSeconds: number;
}

export type ExpiryDecision =
  | { readonly ok: true; readonly seconds: number }
  | { readonly ok: false; readonly status: 400; readonly reason: string }
  | { readonly ok: false; readonly status: 423; readonly minExpires: number };

/**
 * How long a subscription runs (RFC 6665 §4.2.1.1): the default when no Expires is given,
 * at most the maximum, 0 to end it (or fetch the state once), and 423 for a non-zero
 * request below the minimum.
 */
export function subscriptionExpiry(header: string | undefined, limits: ExpiryLimits): ExpiryDecision {
  if (header === undefined) return { ok: true, seconds: limits.defaultSeconds };
  const text = header.trim();
  if (!/^[0-9]{1,10}$/.test(text)) return { ok: false, status: 400, reason: 'Invalid Expires' };
  const asked = Number(text);
  if (asked === 0) return { ok: true, seconds: 0 };
  if (asked < limits.minSeconds) return { ok: false, status: 423, minExpires: limits.minSeconds };
  return { ok: true, seconds: Math.min(asked, limits.maxSeconds) };
}
