import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { formatUri, getHeader } from '../sip/message/index.js';
import type { Header, SipRequest } from '../sip/message/types.js';
import type { Location } from '../sip/registrar/index.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { UserAgentCore } from '../sip/ua/index.js';

export interface RegisterDeps {
  readonly location: Location;
  readonly ua: UserAgentCore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * REGISTER for an authenticated extension (RFC 3261 §10.3). The 200 is sent only after the
 * bindings are stored, so an acknowledged registration survives a restart.
 */
export async function handleRegister(
  deps: RegisterDeps,
  req: SipRequest,
  txn: ServerTransaction,
  user: string,
): Promise<void> {
  const aor = req.to.uri.user ?? '';
  // §10.3 step 3: the authenticated user must be allowed to register this AOR: only its own.
  if (aor !== user) {
    deps.ua.respond(txn, 403, 'Forbidden');
    return;
  }
  const expiresRaw = getHeader(req, 'Expires');
  const expiresHeader = expiresRaw === undefined ? undefined : Number(expiresRaw.trim());
  if (expiresHeader !== undefined && !(Number.isInteger(expiresHeader) && expiresHeader >= 0)) {
    deps.ua.respond(txn, 400, 'Invalid Expires');
    return;
  }
  const userAgent = getHeader(req, 'User-Agent');
  const outcome = await deps.location.register({
    aor,
    contacts: req.contacts.map((c) => ({
      uri: formatUri(c.uri),
      ...(c.params.expires != null ? { expires: Number(c.params.expires) } : {}),
      ...(c.params.q != null ? { q: Number(c.params.q) } : {}),
      ...(c.params['+sip.instance'] != null ? { instanceId: c.params['+sip.instance'] } : {}),
    })),
    wildcard: req.contactWildcard === true,
    ...(expiresHeader !== undefined ? { expiresHeader } : {}),
    callId: req.callId,
    cseq: req.cseq.seq,
    source: txn.source,
    ...(userAgent ? { userAgent } : {}),
  });
  if (!outcome.ok) {
    const extra: Header[] =
      outcome.minExpires !== undefined ? [{ name: 'Min-Expires', value: String(outcome.minExpires) }] : [];
    deps.ua.respond(txn, outcome.status, outcome.reason, extra);
    return;
  }
  const now = deps.clock.now();
  // §10.3 step 8: the 200 lists every current binding with its remaining time.
  const contacts: Header[] = outcome.bindings.map((b) => ({
    name: 'Contact',
    value: `<${b.contactUri}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
  }));
  deps.ua.respond(txn, 200, 'OK', [...contacts, { name: 'Date', value: new Date(now).toUTCString() }]);
  deps.logger.info({ aor, contacts: outcome.bindings.length, address: txn.source.address }, 'registered');
}
