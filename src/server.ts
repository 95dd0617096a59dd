import { recordingDir, type Config } from './platform/config/index.js';
import { LiveConfig } from './platform/config/live.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Logger } from './platform/log.js';
import { Admission, CallControl, ConferenceRooms, Speech, type SipContext } from './call/index.js';
import { MediaRelay } from './media/index.js';
import { MusicOnHold } from './media/moh/index.js';
import { EspeakProvider, TtsCache, ttsCacheDir } from './media/tts/index.js';
import { calleeContacts } from './pbx/invite-handler.js';
import { setupFeatures } from './call/features/setup.js';
import { FrontDoor } from './pbx/index.js';
import { setUpVoicemail } from './pbx/voicemail-setup.js';
import { sendOptions } from './pbx/qualify.js';
import { openStore, type Store } from './store/index.js';
import { AbuseGuard, DigestServer } from './sip/auth/index.js';
import { getHeader } from './sip/message/index.js';
import type { Endpoint, SipMessage } from './sip/message/types.js';
import { Location, Qualifier } from './sip/registrar/index.js';
import { TransactionLayer } from './sip/transaction/index.js';
import { TransportLayer } from './sip/transport/index.js';
import { UserAgentCore } from './sip/ua/index.js';
import { TrunkManager, trunkSettings } from './routing/trunks/index.js';
import { CallRouter } from './pbx/call-router.js';
import { setUpAcd } from './pbx/acd-setup.js';
import { LiveDirectory } from './pbx/live-directory.js';
import { AcdService, agentFeatureCall, dialContacts } from './acd/runtime/index.js';
import type { CtiServer } from './cti/index.js';
import { routerFlows, startCti } from './cti/backend/index.js';
import { acdAgentPort } from './cti/backend/acd-port.js';

export interface ServerOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly logger: Logger;
  /** Injected in tests; the system clock otherwise. */
  readonly clock?: Clock;
  /** Where relative IVR flow and prompt files are found: the configuration file's folder (default: cwd). */
  readonly configDir?: string;
  /** The time routing decisions are made at (schedules, IVR DATE/TIME); the clock by default. Tests set it. */
  readonly routingNow?: () => number;
  /** The random source of the ACD's random strategies; Math.random by default. Tests set it. */
  readonly acdRng?: () => number;
}

export interface RunningServer {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  readonly location: Location;
  readonly admission: Admission;
  readonly guard: AbuseGuard;
  readonly store: Store;
  readonly media: MediaRelay;
  readonly control: CallControl;
  /** SIP trunks: registrations, health, channels (src/routing/trunks). */
  readonly trunks: TrunkManager;
  /** The ACD: queues, agents, the queue log (src/acd/runtime). */
  readonly acd: AcdService;
  /** The configuration in force; `reload` swaps in a new one for new calls. */
  readonly live: LiveConfig;
  /** The CTI WebSocket server, when `cti.enabled` (src/cti, docs/cti.md). */
  readonly cti: CtiServer | undefined;
  reload(config: Config): void;
  stop(): Promise<void>;
}

/**
 * Starts Hotline: store, media relay, SIP transports, transaction layer, UA core, and the
 * front door that authenticates, registers and routes. Stops in reverse order.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  const clock = opts.clock ?? systemClock;
  const store = await openStore({ database: config.database, dataDir: opts.dataDir, logger });
  const cleanup: Array<() => Promise<void>> = [() => store.close()];
  try {
    const media = await MediaRelay.start({
      portMin: config.rtp.portMin,
      portMax: config.rtp.portMax,
      workers: config.media.workers,
      rtpTimeoutMs: config.media.rtpTimeout * 1000,
      logger,
      clock,
    });
    cleanup.unshift(() => media.shutdown());
    const running = await startSip(opts, clock, store, media, cleanup);
    return running;
  } catch (err) {
    for (const fn of cleanup) await fn().catch(() => undefined);
    throw err;
  }
}

async function startSip(
  opts: ServerOptions,
  clock: Clock,
  store: Store,
  media: MediaRelay,
  cleanup: Array<() => Promise<void>>,
): Promise<RunningServer> {
  const { config, logger } = opts;
  const sip = config.sip;
  const serverHeader = { name: 'Server', value: sip.userAgent };
  const transport = new TransportLayer({
    bindAddress: sip.bindAddress,
    advertisedAddress: sip.advertisedAddress,
    udpPort: sip.udpPort,
    tcpPort: sip.tcpPort,
    wsPort: sip.wsPort,
    wssPort: sip.wssPort,
    ...(sip.tls ? { tls: sip.tls } : {}),
    tcpIdleTimeoutMs: sip.tcpIdleTimeout * 1000,
    messageReadTimeoutMs: sip.tcpMessageTimeout * 1000,
    userAgent: sip.userAgent,
    logger,
  });
  const ua = new UserAgentCore(transport, logger, serverHeader);
  const transactions = new TransactionLayer({ sender: transport, clock, logger, core: ua });
  const ctx: SipContext = {
    transactions,
    sender: transport,
    ua,
    clock,
    logger,
    localAddress: (t) => transport.localAddress(t),
    serverHeader,
    domain: sip.domain,
    t1: 500,
    t2: 4000,
  };
  const sec = config.security;
  const guard = new AbuseGuard({
    // 0 means never block (docs/configuration.md); the guard itself wants a positive count.
    maxFailures: sec.maxAuthFailures === 0 ? Number.MAX_SAFE_INTEGER : sec.maxAuthFailures,
    windowMs: sec.failureWindow * 1000,
    blockMs: sec.blockDuration * 1000,
    blockedUserAgents: sec.blockedUserAgents,
    clock,
  });
  const digest = new DigestServer({
    realm: sip.domain,
    algorithms: sec.authAlgorithms,
    nonceLifetimeMs: sec.nonceLifetime * 1000,
    clock,
  });
  const location = new Location({
    store: store.registrations,
    limits: {
      minExpires: config.registrar.minExpires,
      maxExpires: config.registrar.maxExpires,
      defaultExpires: config.registrar.defaultExpires,
      maxContactsPerAor: config.registrar.maxContacts,
    },
    clock,
    log: logger,
  });
  const restored = await location.load();
  const qualifier = new Qualifier({
    bindings: () => location.all(),
    sendOptions: (b) => sendOptions(ctx, b),
    clock,
    log: logger,
    intervalMs: Math.max(1, config.registrar.qualifyInterval) * 1000,
  });
  const admission = new Admission(
    { maxCalls: config.limits.maxCalls, maxCallsPerSecond: config.limits.maxCallsPerSecond },
    clock,
  );
  const live = new LiveConfig(config);
  const directory = new LiveDirectory(() => live.current);
  const extension = (n: string) => directory.extension(n);
  const calls = config.calls;
  const mediaAddress = { bindAddress: sip.bindAddress, advertisedAddress: sip.advertisedAddress };
  const musicOnHold = await MusicOnHold.open({ dataDir: opts.dataDir, config: config.musicOnHold, logger });
  const tts = new EspeakProvider({
    voices: { 'zh-CN': config.tts.voiceZh, en: config.tts.voiceEn },
    clock,
    logger,
  });
  cleanup.push(() => tts.close());
  const speech = new Speech(
    new TtsCache({ dir: ttsCacheDir(opts.dataDir), provider: tts, logger }),
    config.tts.language,
    logger,
    { rate: config.tts.rate },
  );
  const reachable = {
    location,
    isReachable: (b: Parameters<Qualifier['isReachable']>[0]) => qualifier.isReachable(b),
    ctx,
  };
  const control = new CallControl({
    ctx,
    media,
    mediaAddress,
    offer: {
      codecs: config.media.codecs,
      ptimeMs: config.media.ptime,
      telephoneEvent: config.media.telephoneEventPayloadType,
    },
    cdrs: store.cdrs,
    cdrLegs: store.cdrLegs,
    // A phone the ACD rings for a queue call (`late` is filled in below) is the call's agent leg.
    roleOf: (call, party) => (late.acd?.callAgents(call.id)?.includes(party) ? 'agent' : undefined),
    recordings: store.recordings,
    recording: {
      enabled: config.recording.enabled,
      dir: recordingDir(config.recording, opts.dataDir),
    },
    musicOnHold: () => Promise.resolve(musicOnHold.select().files.map((file) => ({ file }))),
    resolve: (n) => (extension(n) ? calleeContacts(reachable, n) : []),
    ringTimeoutMs: calls.noAnswerTimeout * 1000,
    logger,
  });
  const voicemail = setUpVoicemail({
    settings: config.voicemail,
    extensions: directory.dialplan().extensions,
    current: () => ({ boxes: live.current.voicemail.boxes, extensions: directory.dialplan().extensions }),
    dataDir: opts.dataDir,
    control,
    speech,
    store: store.voicemail,
    location,
    ctx,
    logger,
  });
  cleanup.unshift(async () => voicemail.stop());
  const trunks = new TrunkManager({ ctx, settings: trunkSettings(config), logger });
  // The features and the router need each other: the features are built first and reach
  // the router through this reference once it exists.
  const late: { router?: CallRouter; acd?: AcdService } = {};
  const features = setupFeatures({
    config,
    current: () => live.current,
    dialExternal: (call, number, o) => late.router!.dialExternal(call, number, o),
    routeDestination: (call, caller, to) => late.router!.routeDestination(call, caller, to),
    control,
    speech,
    contactsOf: (n) => calleeContacts(reachable, n),
    state: store.extensionFeatures,
    ...(voicemail.app ? { voicemail: voicemail.app } : {}),
    logger,
  });
  const router = new CallRouter({
    current: () => live.current,
    control,
    speech,
    features: () => features.deps,
    trunks,
    stepLog: store.ivrSteps,
    configDir: opts.configDir ?? process.cwd(),
    logger,
    ...(opts.routingNow ? { now: opts.routingNow } : {}),
    acd: () => late.acd,
  });
  late.router = router;
  const acdSetup = await setUpAcd({
    config,
    current: () => live.current,
    dataDir: opts.dataDir,
    promptsDir: opts.configDir ?? process.cwd(),
    control,
    speech,
    musicOnHold,
    queueLog: store.queueLog,
    cdrs: store.cdrs,
    ...(opts.acdRng ? { rng: opts.acdRng } : {}),
    route: router.routeAnswered,
    contactsOf: (n) => calleeContacts(reachable, n),
    dial: async (call, number, o) => {
      if (extension(number) !== undefined)
        return dialContacts(control, call, number, calleeContacts(reachable, number), o);
      const r = await router.dialExternal(call, number, o);
      return r.ok ? { leg: r.leg } : { status: r.status };
    },
    logger,
  });
  const acd = acdSetup.acd;
  late.acd = acd;
  cleanup.unshift(() => acdSetup.close());
  await router.preload();
  const trunkCalls = {
    ctx,
    admission,
    control,
    trunks,
    router,
    retryAfterSeconds: config.limits.retryAfter,
    logger,
  };
  ua.setHandler(
    new FrontDoor({
      ua,
      logger,
      auth: { digest, guard, passwordOf: (u) => extension(u)?.password, ua, logger },
      register: { location, ua, clock, logger },
      mwi: voicemail.mwi,
      trunkCalls,
      invite: {
        ctx,
        media,
        mediaAddress,
        cdrs: store.cdrs,
        control,
        speech,
        rooms: new ConferenceRooms(control),
        location,
        admission,
        dialplan: () => ({
          ...directory.dialplan(),
          features: features.dialplan(),
          voicemail: voicemail.dialplan,
        }),
        router,
        agentFeature: (req, txn, party, feature) =>
          agentFeatureCall({ acd, control, speech }, req, txn, party, feature),
        features: features.deps,
        voicemail: voicemail.app,
        nameOf: (n) => extension(n)?.name,
        isReachable: (b) => qualifier.isReachable(b),
        echoMaxDurationMs: calls.echoMaxDuration * 1000,
        dtmfTestMaxDurationMs: calls.echoMaxDuration * 1000,
        recordTestMaxDurationMs: calls.recordTestMaxDuration * 1000,
        retryAfterSeconds: config.limits.retryAfter,
        logger,
      },
    }),
  );
  transport.setReceiver({
    onMessage: (msg, source) => {
      if (refused(msg, source, guard, sec.rejectScanners)) return;
      transactions.receive(msg, source);
    },
  });
  await transport.start();
  cleanup.unshift(() => transport.stop());
  trunks.start();
  const cti = config.cti.enabled
    ? await startCti({
        config: config.cti,
        control,
        isAgent: (n) => extension(n) !== undefined,
        isExtension: (n) => extension(n) !== undefined,
        dialExternal: router.dialExternal,
        runFlow: routerFlows(router),
        agents: acdAgentPort({
          acd,
          control,
          contactsOf: (n) => calleeContacts(reachable, n),
          isExtension: (n) => extension(n) !== undefined,
        }),
        clock,
        logger,
      })
    : undefined;
  if (cti) {
    // Agent states, offers and queue events reach the desktops that watch them.
    const unsubscribe = acd.subscribe((event, audience) => cti.server.emit({ v: 1, ...event }, audience));
    cleanup.unshift(async () => {
      unsubscribe();
      await cti.close();
    });
  }

  if (config.registrar.qualifyInterval > 0) qualifier.start();
  const housekeeping = setInterval(() => {
    location.expire().catch((err: unknown) => logger.error({ err }, 'expiring registrations failed'));
    guard.sweep();
  }, 10_000);
  housekeeping.unref();

  logger.info(
    {
      udp: transport.port('UDP'),
      tcp: transport.port('TCP'),
      ws: transport.port('WS'),
      wss: transport.port('WSS'),
      restored,
    },
    'Hotline is listening for SIP',
  );
  let stopping: Promise<void> | undefined;
  return {
    live,
    reload: (next) => {
      try {
        router.reload(next); // validates and publishes the flows first: a bad flow refuses the reload
      } catch (err) {
        logger.error({ err }, 'reload refused: nothing changed');
        return;
      }
      const report = live.apply(next);
      if (report.applied.includes('trunks') || report.applied.includes('trunkGroups'))
        trunks
          .reload(trunkSettings(live.current))
          .catch((err: unknown) => logger.error({ err }, 'trunk reload failed'));
      for (const err of report.errors) logger.error({ err }, 'a part of the reload failed');
      if (report.needRestart.length > 0)
        logger.warn({ sections: report.needRestart }, 'these changes take effect at the next restart');
      logger.info(
        { applied: report.applied },
        report.applied.length > 0 ? 'configuration reloaded' : 'configuration unchanged',
      );
    },
    transport,
    transactions,
    location,
    admission,
    guard,
    store,
    media,
    control,
    trunks,
    acd,
    cti: cti?.server,
    stop: () =>
      (stopping ??= (async () => {
        await trunks.stop(); // un-REGISTERs: needs the transaction layer still open
        clearInterval(housekeeping);
        qualifier.stop();
        transactions.close();
        for (const fn of cleanup)
          await fn().catch((err: unknown) => logger.error({ err }, 'error while stopping'));
      })()),
  };
}

/** Blocked addresses and (if configured) known scanners are dropped without an answer. */
function refused(msg: SipMessage, source: Endpoint, guard: AbuseGuard, rejectScanners: boolean): boolean {
  if (msg.kind !== 'request') return false;
  if (guard.isBlocked(source.address)) return true;
  if (rejectScanners && guard.isScanner(getHeader(msg, 'User-Agent'))) return true;
  return false;
}
