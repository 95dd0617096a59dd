import { newBranch, newCallId, newTag, parseUri } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import { contactTarget, type Binding } from '../sip/registrar/index.js';
import type { SipContext } from '../call/index.js';
import { trySend } from '../call/index.js';

/**
 * Sends an OPTIONS to a registered contact along the flow it registered from (which also
 * keeps NAT bindings open). Any response, even an error, proves the phone is there; only a
 * timeout or a transport failure counts against it.
 */
export function sendOptions(ctx: SipContext, binding: Binding): Promise<boolean> {
  const parsed = parseUri(binding.contactUri);
  if (!parsed.ok) return Promise.resolve(false);
  const uri = parsed.value;
  const local = ctx.localAddress(binding.source.transport);
  const self = { scheme: 'sip' as const, user: 'hotline', host: ctx.domain, params: {}, headers: {} };
  const req: SipRequest = {
    kind: 'request',
    method: 'OPTIONS',
    uri,
    vias: [
      {
        transport: binding.source.transport,
        host: local.host,
        port: local.port,
        params: { branch: newBranch(), rport: null },
      },
    ],
    from: { uri: self, params: { tag: newTag() } },
    to: { uri: { ...uri, params: {}, headers: {} }, params: {} },
    callId: newCallId(),
    cseq: { seq: 1, method: 'OPTIONS' },
    maxForwards: 70,
    contacts: [],
    routes: [],
    recordRoutes: [],
    headers: [{ name: 'User-Agent', value: ctx.serverHeader.value }],
    body: Buffer.alloc(0),
  };
  return new Promise((resolve) => {
    // Any final response, even 4xx, proves the phone is there; a refusal to send does not.
    trySend(ctx, req, contactTarget(binding, uri), (status) => resolve(status < 500), {
      onResponse: (resp) => {
        if (resp.status >= 200) resolve(true);
      },
      onTimeout: () => resolve(false),
      onTransportError: () => resolve(false),
    });
  });
}
