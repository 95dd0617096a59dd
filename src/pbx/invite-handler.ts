import type { Logger } from '../platform/log.js';
import {
  Admission,
  callExtension,
  CallControl,
  ConferenceRooms,
  dtmfTest,
  EchoCall,
  recordTest,
  replaceInvite,
  Speech,
  type Contact,
  type MediaAddress,
  type MediaPort,
  type Party,
  type SipContext,
  type Voicemail,
} from '../call/index.js';
import { routeCall, routeFeatureCall, type FeatureDeps } from '../call/features/index.js';
import type { CdrStore } from '../report/cdr.js';
import { getHeader, parseUri } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import { contactTarget, type Binding, type Location } from '../sip/registrar/index.js';
import type { ServerInviteTransaction } from '../sip/transaction/index.js';
import type { CallRouter } from './call-router.js';
import type { AgentFeature } from '../acd/runtime/feature-codes.js';
import { route, type DialplanConfig } from './dialplan.js';

export interface InviteDeps {
  readonly ctx: SipContext;
  readonly media: MediaPort;
  readonly mediaAddress: MediaAddress;
  readonly cdrs: CdrStore;
  readonly location: Location;
  readonly admission: Admission;
  readonly dialplan: () => DialplanConfig;
  readonly nameOf: (extension: string) => string | undefined;
  /** False for a contact that stopped answering OPTIONS (qualify); such contacts are not rung. */
  readonly isReachable: (binding: Binding) => boolean;
  readonly control: CallControl;
  readonly speech: Speech;
  readonly rooms: ConferenceRooms;
  readonly echoMaxDurationMs: number;
  readonly dtmfTestMaxDurationMs: number;
  readonly recordTestMaxDurationMs: number;
  readonly retryAfterSeconds: number;
  readonly logger: Logger;
  /** Forwarding, DND, find-me, ring groups and pickup; without it extensions are rung plainly. */
  readonly features?: FeatureDeps;
  /** Voicemail (`*97`, `*98`, `*96…`); without it those codes are not routed. */
  readonly voicemail?: Voicemail;
  /** Inbound numbers (DIDs), IVR flows and the outbound routes; without it other numbers get 404. */
  readonly router?: CallRouter;
  /** The agents' ACD codes (`*60`–`*63`); without it those codes are not routed. */
  readonly agentFeature?: (
    req: SipRequest,
    txn: ServerInviteTransaction,
    caller: Party,
    feature: AgentFeature,
  ) => Promise<void>;
}

/**
 * A new INVITE from an authenticated extension: admission (overload → 503 at once), then
 * the dialplan: the echo test, another extension (through the B2BUA), or 404.
 */
export function handleInvite(
  deps: InviteDeps,
  req: SipRequest,
  txn: ServerInviteTransaction,
  caller: string,
): void {
  const { ua } = deps.ctx;
  const verdict = deps.admission.tryAdmit();
  if (!verdict.admit) {
    deps.logger.warn({ callId: req.callId, why: verdict.why }, 'new call refused: overload');
    ua.respond(txn, 503, 'Service Unavailable', [
      { name: 'Retry-After', value: String(deps.retryAfterSeconds) },
    ]);
    return;
  }
  let released = false;
  const onEnded = () => {
    if (released) return;
    released = true;
    deps.admission.release();
  };
  const control = deps.control;
  const name = deps.nameOf(caller);
  const party = { number: caller, ...(name ? { name } : {}) };
  const run = (what: Promise<unknown>) => {
    void what.catch((err: unknown) => {
      deps.logger.error({ err, callId: req.callId }, 'call failed');
      if (control.forgetCallEnded(req.callId)) onEnded();
    });
  };
  const replaces = getHeader(req, 'Replaces');
  if (replaces !== undefined) {
    // RFC 3891: this INVITE takes the place of a dialog in a call (attended transfer, pickup).
    control.onceCallEnded(req.callId, onEnded);
    run(
      replaceInvite(control, req, txn, party, replaces).then((ok) => {
        if (!ok && control.forgetCallEnded(req.callId)) onEnded();
      }),
    );
    return;
  }
  const dialled = req.uri.user ?? '';
  const target = route(dialled, deps.dialplan());
  if (target.kind === 'echo') {
    const call = new EchoCall(
      { ...deps, maxDurationMs: deps.echoMaxDurationMs, onEnded },
      req,
      txn,
      caller,
      dialled,
    );
    void call
      .start(req)
      .catch((err: unknown) =>
        fail(deps, err, req, () => call.end('failed', 'system', 500, 'internal error')),
      );
    return;
  }
  if (target.kind === 'unknown') {
    const router = deps.router;
    const features = deps.features;
    if (router && features) {
      // An inbound number (a DID such as 96110) reached from inside: routed as if a carrier
      // delivered it, so flows can be tried from a desk phone.
      if (router.isInternalDid(dialled)) {
        control.onceCallEnded(req.callId, onEnded);
        return run(router.inbound(req, txn, party, dialled));
      }
      const out = router.outboundVerdict(caller, dialled);
      if (out.ok) {
        control.onceCallEnded(req.callId, onEnded);
        return run(routeCall(features, req, txn, party, { type: 'external', number: dialled }));
      }
      deps.logger.info({ callId: req.callId, caller, dialled, why: out.reason }, 'outbound call refused');
      ua.respond(txn, out.status, out.status === 403 ? 'Forbidden' : 'Not Found');
      onEnded();
      return;
    }
    ua.respond(txn, 404, 'Not Found');
    onEnded();
    return;
  }
  // Calls under call control release their admission slot when the call ends.
  control.onceCallEnded(req.callId, onEnded);
  // For apps that may leave the INVITE to us (false): nothing took it, release its slot.
  const runTaken = (what: Promise<boolean>) =>
    run(what.then((taken) => void (!taken && control.forgetCallEnded(req.callId) && onEnded())));
  switch (target.kind) {
    case 'dtmf-test':
      return run(dtmfTest(control, deps.speech, req, txn, party, dialled, deps.dtmfTestMaxDurationMs));
    case 'record-test':
      return run(recordTest(control, deps.speech, req, txn, party, dialled, deps.recordTestMaxDurationMs));
    case 'conference':
      return run(deps.rooms.join(req, txn, party, target.room));
    case 'feature':
      if (deps.features) return runTaken(routeFeatureCall(deps.features, target.feature, req, txn, party));
      control.forgetCallEnded(req.callId);
      ua.respond(txn, 404, 'Not Found');
      return onEnded();
    case 'voicemail-listen':
      if (deps.voicemail) return run(deps.voicemail.listen(req, txn, party, dialled, target.which));
      control.forgetCallEnded(req.callId);
      ua.respond(txn, 404, 'Not Found');
      return onEnded();
    case 'voicemail-deposit':
      return run(leaveVoicemail(deps, req, txn, party, target.mailbox, dialled));
    case 'agent-feature':
      if (deps.agentFeature) return run(deps.agentFeature(req, txn, party, target.feature));
      control.forgetCallEnded(req.callId);
      ua.respond(txn, 404, 'Not Found');
      return onEnded();
    case 'extension': {
      if (deps.features)
        return runTaken(
          routeCall(deps.features, req, txn, party, { type: 'extension', number: target.number }),
        );
      const contacts = calleeContacts(deps, target.number);
      if (contacts.length === 0) {
        control.forgetCallEnded(req.callId);
        ua.respond(txn, 480, 'Temporarily Unavailable');
        onEnded();
        return;
      }
      return run(callExtension(control, req, txn, party, target.number, contacts));
    }
  }
}

/**
 * A new call for a `{ type: 'voicemail', mailbox }` destination: the caller is answered and
 * leaves a message in `mailbox`. As with every call under call control, whoever routes it
 * registers the admission release first (`control.onceCallEnded`): the call always ends
 * through call control, also when it is refused — 404 for a mailbox that does not exist,
 * or with voicemail off.
 */
export async function leaveVoicemail(
  deps: Pick<InviteDeps, 'control' | 'voicemail'>,
  req: SipRequest,
  txn: ServerInviteTransaction,
  caller: Party,
  mailbox: string,
  dialled: string = mailbox,
): Promise<void> {
  if (deps.voicemail) return deps.voicemail.deposit(req, txn, caller, dialled, mailbox);
  const call = deps.control.createCall(caller, dialled);
  const leg = await deps.control.acceptInbound(call, req, txn, caller);
  leg?.hangup(404, 'voicemail is off');
}

/** Where an extension can be reached now: its registered contacts that answer OPTIONS. */
export function calleeContacts(
  deps: Pick<InviteDeps, 'location' | 'isReachable' | 'ctx'>,
  extension: string,
): Contact[] {
  const out: Contact[] = [];
  for (const b of deps.location.lookup(extension, deps.ctx.clock.now())) {
    if (!deps.isReachable(b)) continue;
    const parsed = parseUri(b.contactUri);
    if (parsed.ok) out.push({ requestUri: parsed.value, dest: contactTarget(b, parsed.value) });
  }
  return out;
}

function fail(deps: InviteDeps, err: unknown, req: SipRequest, end: () => void): void {
  deps.logger.error({ err, callId: req.callId }, 'call failed');
  end();
}
