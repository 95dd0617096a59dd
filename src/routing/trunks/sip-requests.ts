/**
 * The SIP addresses of a trunk and the out-of-dialog requests Hotline sends it (REGISTER,
 * OPTIONS). Pure builders; the adapters send what these return.
 */
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { SipContext } from '../../call/index.js';
import { newBranch, newTag } from '../../sip/message/index.js';
import type {
  Endpoint,
  Header,
  NameAddr,
  SipRequest,
  SipUri,
  TransportName,
} from '../../sip/message/types.js';
import type { TrunkConfig } from '../../platform/config/trunk-schema.js';
import type { HostResolver } from './types.js';

export function trunkTransport(trunk: TrunkConfig): TransportName {
  return trunk.transport === 'tcp' ? 'TCP' : 'UDP';
}

function transportParams(trunk: TrunkConfig): Record<string, string> {
  return trunk.transport === 'tcp' ? { transport: 'tcp' } : {};
}

/** Where the trunk's SIP goes: its host and port (`sip:host:port`), with `user` when given. */
export function trunkUri(trunk: TrunkConfig, user?: string): SipUri {
  return {
    scheme: 'sip',
    ...(user !== undefined ? { user } : {}),
    host: trunk.host,
    ...(trunk.port !== 5060 ? { port: trunk.port } : {}),
    params: transportParams(trunk),
    headers: {},
  };
}

/** The registrar's domain: `register.domain`, else the trunk's host. */
export function registrarDomain(trunk: TrunkConfig): string {
  return trunk.register?.domain ?? trunk.host;
}

/**
 * The REGISTER Request-URI (RFC 3261 §10.2: the registrar's domain, no user). Without a
 * `register.domain` it is the trunk itself, port included.
 */
export function registerUri(trunk: TrunkConfig): SipUri {
  const domain = trunk.register?.domain;
  if (domain === undefined) return trunkUri(trunk);
  return { scheme: 'sip', host: domain, params: transportParams(trunk), headers: {} };
}

/** The account's address of record: `sip:username@domain`. */
export function accountAor(trunk: TrunkConfig): SipUri | undefined {
  const reg = trunk.register;
  if (!reg) return undefined;
  return { scheme: 'sip', user: reg.username, host: registrarDomain(trunk), params: {}, headers: {} };
}

/** The host that goes into From for calls through this trunk. */
export function fromHost(trunk: TrunkConfig): string {
  return registrarDomain(trunk);
}

/** Credentials for challenges to INVITEs: `auth`, else the registration's. */
export function inviteCredentials(trunk: TrunkConfig): { username: string; password: string } | undefined {
  if (trunk.auth) return { username: trunk.auth.username, password: trunk.auth.password };
  const reg = trunk.register;
  if (!reg) return undefined;
  return { username: reg.authUsername ?? reg.username, password: reg.password };
}

/** Hotline's Contact towards this trunk: the account user at Hotline's own address. */
export function ourContact(ctx: SipContext, trunk: TrunkConfig, user: string): SipUri {
  const local = ctx.localAddress(trunkTransport(trunk));
  return {
    scheme: 'sip',
    user,
    host: local.host,
    port: local.port,
    params: transportParams(trunk),
    headers: {},
  };
}

export interface OutOfDialog {
  readonly method: 'REGISTER' | 'OPTIONS';
  readonly uri: SipUri;
  readonly from: SipUri;
  readonly to: SipUri;
  readonly callId: string;
  readonly cseq: number;
  readonly contact?: SipUri;
  readonly headers?: readonly Header[];
}

/** A request outside any dialog: a fresh branch and From tag, our User-Agent. */
export function buildRequest(ctx: SipContext, trunk: TrunkConfig, r: OutOfDialog): SipRequest {
  const transport = trunkTransport(trunk);
  const local = ctx.localAddress(transport);
  const contacts: NameAddr[] = r.contact ? [{ uri: r.contact, params: {} }] : [];
  return {
    kind: 'request',
    method: r.method,
    uri: r.uri,
    vias: [{ transport, host: local.host, port: local.port, params: { branch: newBranch(), rport: null } }],
    from: { uri: r.from, params: { tag: newTag() } },
    to: { uri: r.to, params: {} },
    callId: r.callId,
    cseq: { seq: r.cseq, method: r.method },
    maxForwards: 70,
    contacts,
    routes: [],
    recordRoutes: [],
    headers: [{ name: 'User-Agent', value: ctx.serverHeader.value }, ...(r.headers ?? [])],
    body: Buffer.alloc(0),
  };
}

/** The trunk's transport endpoint at its first resolved address. */
export function trunkEndpoint(trunk: TrunkConfig, address: string): Endpoint {
  return { transport: trunkTransport(trunk), address, port: trunk.port };
}

/** Resolves with the system resolver (A/AAAA, as getaddrinfo does); an IP literal is its own answer. */
export const systemResolver: HostResolver = async (host) => {
  if (isIP(host) !== 0) return [host];
  const found = await lookup(host, { all: true });
  return found.map((a) => a.address);
};
