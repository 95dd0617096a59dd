/**
 * "Who hears whom" on a queue call: each sipp party sends its own sine (a pcap made here),
 * tcpdump keeps what reaches its media port, and the Goertzel power of every party's tone
 * in a stretch of that audio tells whom it heard then.
 */
import { until } from './acd.js';
import { dialling, mediaPort, pcapOf, registerPhone, type ExtensionNumber } from './calls.js';
import { capturePackets, type PacketCapture } from './capture.js';
import { concatAudio, rtpPackets, type RtpPacket } from './pcap.js';
import { freePort } from './ports.js';
import type { TestServer } from './server.js';
import { sine, toDb, tonePower } from './signals.js';
import { runSipp, type SippRun } from './sipp.js';

/** Long enough to outlast every call of these tests (sipp plays the pcap once). */
const TONE_SECONDS = 45;

export interface TonePhone {
  readonly number: ExtensionNumber;
  readonly hz: number;
  readonly done: Promise<SippRun>;
  /** Stops the capture at the phone's media port and keeps its RTP packets. */
  stopListening(): Promise<RtpPacket[]>;
}

/** Captures not yet stopped: a test that fails before reading them stops them in `after`. */
const listening = new Set<() => Promise<unknown>>();

/** A capture at `media` whose `stop` may be called again (it answers the same packets). */
async function listen(media: number): Promise<PacketCapture> {
  const capture = await capturePackets(`dst port ${media}`);
  let stopped: ReturnType<PacketCapture['stop']> | undefined;
  const stop = () => {
    listening.delete(stop);
    stopped ??= capture.stop();
    return stopped;
  };
  listening.add(stop);
  return { stop };
}

/** Stops every capture still running (tcpdump would otherwise keep the test process alive). */
export async function stopAllListening(): Promise<void> {
  await Promise.all([...listening].map((stop) => stop()));
}

/**
 * A registered phone for `number` that answers one call, plays `hz` from the moment it is
 * up, and waits for Hotline's BYE.
 */
export async function answeringPhone(t: TestServer, number: ExtensionNumber, hz: number): Promise<TonePhone> {
  const port = await freePort();
  await registerPhone(t, number, port);
  const media = await mediaPort();
  const capture = await listen(media);
  const run = runSipp({
    scenario: 'answer-play.xml',
    server: t.sipPort,
    localPort: port,
    mediaPort: media,
    timeoutSeconds: 60,
    files: { 'audio.pcap': pcapOf(sine(hz, TONE_SECONDS, -12), 0x5000 + hz) },
  });
  return { number, hz, done: run.done, stopListening: async () => rtpPackets(await capture.stop()) };
}

/** `from` dials `number` (a queue's DID), plays `hz` once answered and waits for Hotline's BYE. */
export async function tonedCaller(
  t: TestServer,
  from: ExtensionNumber,
  number: string,
  hz: number,
): Promise<TonePhone> {
  const media = await mediaPort();
  const capture = await listen(media);
  const run = runSipp({
    scenario: 'call-play-until-bye.xml',
    server: t.sipPort,
    localPort: await freePort(),
    mediaPort: media,
    fields: [dialling(from, number)],
    timeoutSeconds: 60,
    files: { 'audio.pcap': pcapOf(sine(hz, TONE_SECONDS, -12), 0x6000 + hz) },
  });
  return { number: from, hz, done: run.done, stopListening: async () => rtpPackets(await capture.stop()) };
}

/** A stretch of the call, in ms since the epoch (the capture's clock). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

export async function spanOf(run: () => Promise<void>): Promise<Span> {
  const from = Date.now();
  await run();
  return { from, to: Date.now() };
}

/** The audio a party received during `span`. */
export function heardDuring(packets: readonly RtpPacket[], span: Span): Float32Array {
  return concatAudio(packets.filter((p) => p.time * 1000 >= span.from && p.time * 1000 < span.to));
}

/** The level (dB) of each party's tone in `audio`, by party number. */
export function toneLevels(audio: Float32Array, parties: readonly TonePhone[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parties) out[p.number] = toDb(tonePower(audio, p.hz));
  return out;
}

/**
 * A −12 dBFS peak sine carries about −15 dB: a party heard is above HEARD, and a party not
 * heard is at least APART under one that is heard in the same stretch.
 */
export const HEARD = -30;
export const APART = 20;

export { pause } from './acd.js';

/**
 * Waits until `agent`'s leg in the call is bridged with another party: the ACD announces the
 * answer (callAnswered) before it bridges, and a desk's next request needs the talk.
 */
export function bridged(t: TestServer, callId: string, agent: string): Promise<void> {
  const control = t.server.control;
  return until(() => {
    const leg = control.get(callId)?.live.find((l) => l.party.number === agent);
    return leg !== undefined && control.partnerOf(leg) !== undefined;
  }, `call ${callId}: ${agent} bridged`);
}

/** Waits until the ACD has `agent` idle (its last call's wrap-up over), if it knows the agent. */
export function idle(t: TestServer, agent: string): Promise<void> {
  const activity = () => t.server.acd.agentStatus([agent])[0]?.activity;
  return until(() => activity() === undefined || activity() === 'idle', `agent ${agent} idle`, 10_000);
}
