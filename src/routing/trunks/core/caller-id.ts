/**
 * How a call presents itself to a trunk: the From it carries and the identity headers, from
 * the trunk's `callerId` settings (pure).
 *
 * - `mode: pass` presents the number Hotline was given (the caller's, or one the dialplan
 *   chose); `mode: fixed` always presents the trunk's own `callerId.number`.
 * - `privacy: id` hides the number from the called party (RFC 3323 §4.1.1.3): From becomes
 *   `"Anonymous" <sip:anonymous@anonymous.invalid>`, and the real identity goes to the carrier
 *   in `P-Asserted-Identity` with `Privacy: id` (RFC 3325 §9.1, §9.3), which asks the carrier
 *   to remove it before the call leaves its network. Carriers need it for billing and tracing.
 */
import type { TrunkCallerIdConfig } from '../../../platform/config/trunk-schema.js';
import { formatNameAddr } from '../../../sip/message/index.js';
import type { Header, NameAddr, SipUri } from '../../../sip/message/types.js';

/** The identity a call would present: a number and, optionally, a display name. */
export interface CallerIdentity {
  readonly number: string;
  readonly name?: string;
}

export interface Presentation {
  readonly from: NameAddr;
  /** Identity headers to add to the INVITE (empty without privacy). */
  readonly headers: readonly Header[];
  /** The identity asserted, whatever From shows. */
  readonly identity: CallerIdentity;
}

const ANONYMOUS: NameAddr = {
  displayName: 'Anonymous',
  uri: { scheme: 'sip', user: 'anonymous', host: 'anonymous.invalid', params: {}, headers: {} },
  params: {},
};

/** The identity to present: the caller's (pass) or the trunk's number (fixed). */
export function callerIdentity(cfg: TrunkCallerIdConfig, caller: CallerIdentity): CallerIdentity {
  if (cfg.mode === 'fixed' && cfg.number !== undefined) {
    return { number: cfg.number, ...(cfg.name !== undefined ? { name: cfg.name } : {}) };
  }
  return caller;
}

/** From and identity headers for a call through a trunk whose domain is `host`. */
export function presentCallerId(
  cfg: TrunkCallerIdConfig,
  caller: CallerIdentity,
  host: string,
): Presentation {
  const identity = callerIdentity(cfg, caller);
  const uri: SipUri = { scheme: 'sip', user: identity.number, host, params: {}, headers: {} };
  const asserted: NameAddr = {
    ...(identity.name !== undefined && identity.name !== '' ? { displayName: identity.name } : {}),
    uri,
    params: {},
  };
  if (cfg.privacy === 'none') return { from: asserted, headers: [], identity };
  return {
    from: ANONYMOUS,
    headers: [
      { name: 'P-Asserted-Identity', value: formatNameAddr(asserted) },
      { name: 'Privacy', value: 'id' },
    ],
    identity,
  };
}
