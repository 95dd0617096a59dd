/**
 * RTP on the loopback interface, as tcpdump sees it: start and stop a capture to a pcap
 * file, then read the file back and compute, per RTP stream (addresses, ports and SSRC),
 * the packets expected from the sequence numbers against those received, and the RFC 3550
 * interarrival jitter.
 *
 * Every packet is seen once, at the same point (the loopback device), whichever way it goes,
 * so the jitter of the streams the server sends can be compared with that of the streams it
 * receives. The capture writes only the first bytes of each packet (headers), to a file, and
 * is read after the measurement, so that tcpdump costs the machine as little as possible
 * while it is measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

// ---------------------------------------------------------------- capture

export interface CaptureCounts {
  /** Packets tcpdump wrote to the file. */
  readonly captured: number;
  /** Packets the kernel dropped because tcpdump did not keep up (its buffer was full). */
  readonly droppedByKernel: number;
  /** Packets the interface dropped (rarely reported on loopback). */
  readonly droppedByInterface: number;
  /** tcpdump's exit status and what it said, for when the counts are missing. */
  readonly exit: number | null;
  readonly stderr: string;
}

export interface Capture {
  readonly pid: number;
  readonly file: string;
  stop(): Promise<CaptureCounts>;
}

export interface CaptureOptions {
  /** UDP ports of interest (either end): the load generator's media ports. */
  readonly ports: readonly number[];
  readonly file: string;
  /** Bytes kept of each packet: Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 = 54 are needed. */
  readonly snaplen?: number;
  /** tcpdump's capture buffer (-B), KiB. */
  readonly bufferKiB?: number;
  /** Lets the caller track (and kill, on Ctrl-C) the child. */
  readonly track?: (child: ChildProcess) => void;
}

/** Starts tcpdump on `lo` and resolves once it is listening. */
export async function startCapture(opts: CaptureOptions): Promise<Capture> {
  if (opts.ports.length === 0) throw new Error('no ports to capture');
  const filter = `udp and (${opts.ports.map((p) => `port ${p}`).join(' or ')})`;
  const args = [
    '-i',
    'lo',
    '-n',
    '-s',
    String(opts.snaplen ?? 64),
    '-B',
    String(opts.bufferKiB ?? 131072),
    '-w',
    opts.file,
  ];
  // As root, Debian's tcpdump switches to the "tcpdump" user before it opens the file, which
  // may not write into a private temporary folder: stay root.
  if (process.getuid?.() === 0) args.push('-Z', 'root');
  args.push(filter);
  const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  opts.track?.(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tcpdump did not start within 10 s: ${stderr.trim()}`));
    }, 10000);
    const check = () => {
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr.on('data', check);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump could not be started (Debian package tcpdump): ${err.message}`));
    });
    void closed.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited with ${code}: ${stderr.trim()}`));
    });
  });
  if (child.pid === undefined) throw new Error('tcpdump has no pid');
  return {
    pid: child.pid,
    file: opts.file,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
      const exit = await closed;
      clearTimeout(killer);
      const count = (what: RegExp) => {
        const m = what.exec(stderr);
        return m ? Number(m[1]) : NaN;
      };
      return {
        captured: count(/(\d+) packets? captured/),
        droppedByKernel: count(/(\d+) packets? dropped by kernel/),
        droppedByInterface: count(/(\d+) packets? dropped by interface/) || 0,
        exit,
        stderr: stderr.trim(),
      };
    },
  };
}

// ---------------------------------------------------------------- per-stream statistics

/** Sequence number jumps forward by at most this much count as losses; more starts anew. */
const MAX_DROPOUT = 3000;
/** Packets up to this far behind the highest sequence number are late (reordered) ones. */
const MAX_MISORDER = 100;
/** Jitter values of a stream's first packets are left out of its mean: J starts at 0. */
const JITTER_WARMUP = 16;

/** RTP clock rates by static payload type (RFC 3551); dynamic types are skipped for jitter. */
function clockRate(pt: number): number {
  if (pt === 0 || pt === 8 || pt === 3 || pt === 4 || pt === 5 || pt === 7 || pt === 18) return 8000;
  if (pt === 9) return 8000; // G.722's RTP clock is 8000 whatever its sampling rate
  return 0;
}

/**
 * One RTP stream. A stream that starts again (a jump in sequence numbers beyond what loss or
 * reordering explain: sipp replaying its capture from the beginning, or a new source on the
 * same ports) begins a new segment; losses are counted within each segment, and the jitter's
 * running transit is reset (the smoothed value goes on).
 */
export class StreamStats {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ssrc: number;
  packets = 0;
  /** Packets the sequence numbers said should have come, summed over the segments. */
  expected = 0;
  duplicates = 0;
  /** Packets that came after one with a higher sequence number. */
  late = 0;
  segments = 0;
  /** Audio bytes (RTP payload). */
  payloadBytes = 0;
  firstTime = 0;
  lastTime = 0;
  /** Current RFC 3550 jitter estimate, in RTP timestamp units. */
  jitter = 0;
  jitterSum = 0;
  jitterCount = 0;
  jitterMax = 0;
  clock = 0;
  // segment state
  private base = 0; // extended sequence number of the segment's first packet
  private max = 0; // extended highest sequence number of the segment
  private received = 0;
  private seen = new Set<number>();
  private lastArrival = NaN;
  private lastTimestamp = 0;
  private jitterUpdates = 0;

  constructor(srcPort: number, dstPort: number, ssrc: number) {
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.ssrc = ssrc;
  }

  add(arrival: number, seq: number, timestamp: number, pt: number, payload: number): void {
    this.payloadBytes += payload;
    this.lastTime = arrival;
    if (this.packets++ === 0) {
      this.firstTime = arrival;
      this.clock = clockRate(pt);
      this.begin(seq, arrival, timestamp);
      return;
    }
    const high = this.max & 0xffff;
    let delta = (seq - high) & 0xffff;
    if (delta >= 0x8000) delta -= 0x10000;
    if (delta > 0 && delta <= MAX_DROPOUT) {
      this.max += delta;
    } else if (delta <= 0 && delta >= -MAX_MISORDER) {
      const ext = this.max + delta;
      if (ext < this.base || this.seen.has(ext)) {
        // seen already (or from before the segment began): not counted as received
        this.duplicates++;
        return;
      }
      this.late++;
    } else {
      this.close();
      this.begin(seq, arrival, timestamp);
      return;
    }
    this.mark(this.max + (delta <= 0 ? delta : 0));
    this.jitterStep(arrival, timestamp);
  }

  private begin(seq: number, arrival: number, timestamp: number): void {
    this.segments++;
    // Extended numbers start high so that late packets of the first cycle stay positive.
    this.base = this.max = 0x10000 + seq;
    this.received = 0;
    this.seen.clear();
    this.mark(this.base);
    this.lastArrival = arrival;
    this.lastTimestamp = timestamp;
  }

  private mark(ext: number): void {
    this.received++;
    this.seen.add(ext);
    // Only the last few hundred numbers are needed to tell duplicates.
    if (this.seen.size > 4 * MAX_MISORDER) {
      for (const n of this.seen) {
        if (n < this.max - 2 * MAX_MISORDER) this.seen.delete(n);
      }
    }
  }

  private jitterStep(arrival: number, timestamp: number): void {
    if (this.clock === 0) return;
    // D(i-1, i) = (R_i - R_{i-1}) - (S_i - S_{i-1}), in timestamp units (RFC 3550 §6.4.1).
    let dts = (timestamp - this.lastTimestamp) | 0;
    const darr = (arrival - this.lastArrival) * this.clock;
    this.lastArrival = arrival;
    this.lastTimestamp = timestamp;
    // A timestamp jump of more than 10 s is a new source, not jitter.
    if (Math.abs(dts) > 10 * this.clock) dts = darr;
    const d = Math.abs(darr - dts);
    this.jitter += (d - this.jitter) / 16;
    if (++this.jitterUpdates > JITTER_WARMUP) {
      this.jitterSum += this.jitter;
      this.jitterCount++;
      if (this.jitter > this.jitterMax) this.jitterMax = this.jitter;
    }
  }

  /** Ends the current segment, adding its expected and received packets to the totals. */
  close(): void {
    if (this.received === 0) return;
    this.expected += this.max - this.base + 1;
    this.received = 0;
  }

  /** Received packets (without duplicates): packets - duplicates. */
  get receivedPackets(): number {
    return this.packets - this.duplicates;
  }

  /** The stream's mean jitter, ms (NaN when it had too few packets or no known clock). */
  get meanJitterMs(): number {
    return this.jitterCount > 0 ? (this.jitterSum / this.jitterCount / this.clock) * 1000 : NaN;
  }

  get maxJitterMs(): number {
    return this.jitterCount > 0 ? (this.jitterMax / this.clock) * 1000 : NaN;
  }
}

export interface DirectionSummary {
  readonly streams: number;
  /** Distinct (source port, destination port) pairs: one per call leg carrying audio. */
  readonly flows: number;
  readonly packets: number;
  readonly expected: number;
  readonly lost: number;
  /** lost / expected, in %. */
  readonly lossPct: number;
  readonly duplicates: number;
  readonly late: number;
  readonly payloadBytes: number;
  /** Mean over the streams' mean jitter, weighted by their packets, ms. */
  readonly jitterMeanMs: number;
  /** 95th percentile of the streams' mean jitter, ms. */
  readonly jitterP95Ms: number;
  /** The highest jitter any stream reached, ms. */
  readonly jitterMaxMs: number;
  /** Streams whose packets came from more than one segment (replays, restarts). */
  readonly segments: number;
}

export interface EchoCheck {
  /** Packets sent to the server (up to ECHO_WAIT before the capture ended) whose echo was looked for. */
  readonly sent: number;
  /** Of those, packets that came back (same ports reversed, SSRC, sequence number and timestamp) within ECHO_WAIT. */
  readonly echoed: number;
  /** (sent - echoed) / sent, in %. */
  readonly lossPct: number;
  /** Time from a packet to its echo, through the server: median, 99th percentile, highest, ms. */
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  /** Echoes that took more than 100 ms: useless to a phone's jitter buffer, though not lost. */
  readonly over100Ms: number;
}

export interface CaptureAnalysis {
  /** Streams sent by the load generator to the server. */
  readonly toServer: DirectionSummary;
  /** Streams sent by the server to the load generator. */
  readonly fromServer: DirectionSummary;
  /** Packets in the file that were not RTP (RTCP, truncated, other). */
  readonly other: number;
  readonly firstTime: number;
  readonly lastTime: number;
  /** With `echo`: every packet sent to the server matched with the one it sent back. */
  readonly echo?: EchoCheck;
}

/** One UDP packet of a capture, as far as the bench needs it (fields reused between calls). */
interface Packet {
  time: number;
  srcPort: number;
  dstPort: number;
  /** False when the packet is not RTP (RTCP, too short, another version). */
  rtp: boolean;
  pt: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: number;
}

/**
 * Calls `each` for every IPv4 UDP packet of a pcap file (classic format; Ethernet, Linux
 * cooked or BSD loopback link types), in file order; returns the count of other packets.
 */
function readPackets(file: string, each: (p: Packet) => void): number {
  let other = 0;
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(24);
    if (readSync(fd, head, 0, 24, 0) < 24) return 0;
    const magic = head.readUInt32LE(0);
    let little: boolean;
    let nano: boolean;
    if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
      little = true;
      nano = magic === 0xa1b23c4d;
    } else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
      little = false;
      nano = magic === 0x4d3cb2a1;
    } else {
      throw new Error(`${file} is not a classic pcap file`);
    }
    const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const linkType = u32(head, 20);
    // 1 = Ethernet (Linux lo), 113 = Linux cooked (-i any), 0 = BSD loopback.
    const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : linkType === 0 ? 4 : -1;
    if (linkHeader < 0) throw new Error(`${file}: link type ${linkType} not handled`);
    const tsDivisor = nano ? 1e9 : 1e6;
    const pkt: Packet = {
      time: 0,
      srcPort: 0,
      dstPort: 0,
      rtp: false,
      pt: 0,
      seq: 0,
      timestamp: 0,
      ssrc: 0,
      payload: 0,
    };
    const chunk = Buffer.alloc(32 * 1024 * 1024);
    let filePos = 24;
    let have = 0; // bytes of chunk holding data
    let at = 0; // read position in chunk
    for (;;) {
      if (have - at < 16 + 65536 && filePos < size) {
        chunk.copy(chunk, 0, at, have);
        have -= at;
        at = 0;
        const n = readSync(fd, chunk, have, chunk.length - have, filePos);
        filePos += n;
        have += n;
      }
      if (have - at < 16) break;
      const sec = u32(chunk, at);
      const frac = u32(chunk, at + 4);
      const incl = u32(chunk, at + 8);
      if (have - at < 16 + incl) break; // truncated last record
      const p = at + 16;
      at = p + incl;
      const etherType =
        linkType === 1 ? chunk.readUInt16BE(p + 12) : linkType === 113 ? chunk.readUInt16BE(p + 14) : 0x0800;
      const ip = p + linkHeader;
      if (etherType !== 0x0800 || incl < linkHeader + 20) {
        other++;
        continue;
      }
      const ihl = (chunk[ip]! & 0x0f) * 4;
      if (chunk[ip + 9] !== 17 || incl < linkHeader + ihl + 8) {
        other++;
        continue;
      }
      const udp = ip + ihl;
      pkt.time = sec + frac / tsDivisor;
      pkt.srcPort = chunk.readUInt16BE(udp);
      pkt.dstPort = chunk.readUInt16BE(udp + 2);
      const udpLength = chunk.readUInt16BE(udp + 4);
      const rtp = udp + 8;
      const b0 = incl >= linkHeader + ihl + 8 + 12 ? chunk[rtp]! : 0;
      const b1 = chunk[rtp + 1] ?? 0;
      // RTP version 2, and not RTCP (packet types 200-207 where the payload type would be).
      pkt.rtp = b0 >> 6 === 2 && !(b1 >= 200 && b1 <= 207);
      if (pkt.rtp) {
        pkt.pt = b1 & 0x7f;
        pkt.seq = chunk.readUInt16BE(rtp + 2);
        pkt.timestamp = chunk.readUInt32BE(rtp + 4);
        pkt.ssrc = chunk.readUInt32BE(rtp + 8);
        pkt.payload = Math.max(0, udpLength - 8 - 12 - 4 * (b0 & 0x0f));
      }
      each(pkt);
    }
  } finally {
    closeSync(fd);
  }
  return other;
}

/** How long after a packet reached the server its echo may come back, s. */
const ECHO_WAIT = 3;
/** Echo delays are counted in buckets of this many seconds (0.1 ms). */
const DELAY_BUCKET = 1e-4;

/** The packets of one stream in arrival order (time, sequence number, timestamp), compactly. */
class Trace {
  times = new Float64Array(1024);
  seqs = new Uint16Array(1024);
  stamps = new Uint32Array(1024);
  length = 0;

  push(time: number, seq: number, timestamp: number): void {
    if (this.length === this.times.length) {
      const grow = <T extends Float64Array | Uint16Array | Uint32Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      this.times = grow(this.times, new Float64Array(this.length * 2));
      this.seqs = grow(this.seqs, new Uint16Array(this.length * 2));
      this.stamps = grow(this.stamps, new Uint32Array(this.length * 2));
    }
    this.times[this.length] = time;
    this.seqs[this.length] = seq;
    this.stamps[this.length] = timestamp;
    this.length++;
  }

  /** When the first packet with this sequence number and timestamp came within [from, to]; NaN: none did. */
  find(seq: number, timestamp: number, from: number, to: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.length && this.times[i]! <= to; i++) {
      if (this.seqs[i] === seq && this.stamps[i] === timestamp) return this.times[i]!;
    }
    return NaN;
  }
}

/**
 * Reads a pcap file written by startCapture and sorts the RTP packets into the two
 * directions: a packet whose source port is one of `clientPorts` goes to the server, one
 * whose destination port is comes from it. With `echo` (the server sends each packet back
 * unchanged), it also matches every packet sent with the one that came back.
 */
export function analyseCapture(
  file: string,
  clientPorts: ReadonlySet<number>,
  opts: { echo?: boolean } = {},
): CaptureAnalysis {
  // Streams by (source port, destination port), then SSRC. Addresses are left out: every
  // packet of the bench is on the loopback interface.
  const toServer = new Map<number, Map<number, StreamStats>>();
  const fromServer = new Map<number, Map<number, StreamStats>>();
  // For the echo check: what came back, by flow (as sent: ports the other way round) and SSRC.
  const returned = new Map<number, Map<number, Trace>>();
  let firstTime = NaN;
  let lastTime = NaN;
  let notRtp = 0;
  const other = readPackets(file, (p) => {
    if (Number.isNaN(firstTime)) firstTime = p.time;
    lastTime = p.time;
    let map: Map<number, Map<number, StreamStats>>;
    if (!p.rtp) {
      notRtp++;
      return;
    }
    if (clientPorts.has(p.srcPort)) map = toServer;
    else if (clientPorts.has(p.dstPort)) map = fromServer;
    else {
      notRtp++;
      return;
    }
    const flow = p.srcPort * 0x10000 + p.dstPort;
    let bySsrc = map.get(flow);
    if (!bySsrc) map.set(flow, (bySsrc = new Map()));
    let s = bySsrc.get(p.ssrc);
    if (!s) bySsrc.set(p.ssrc, (s = new StreamStats(p.srcPort, p.dstPort, p.ssrc)));
    s.add(p.time, p.seq, p.timestamp, p.pt, p.payload);
    if (opts.echo && map === fromServer) {
      const sentFlow = p.dstPort * 0x10000 + p.srcPort;
      let traces = returned.get(sentFlow);
      if (!traces) returned.set(sentFlow, (traces = new Map()));
      let trace = traces.get(p.ssrc);
      if (!trace) traces.set(p.ssrc, (trace = new Trace()));
      trace.push(p.time, p.seq, p.timestamp);
    }
  });
  let echo: EchoCheck | undefined;
  if (opts.echo && Number.isFinite(lastTime)) {
    // Second pass: each packet sent to the server, except in the last second of the capture
    // (its echo may have come after the capture stopped).
    let sent = 0;
    let echoed = 0;
    let over100 = 0;
    let maxDelay = 0;
    const buckets = new Uint32Array(Math.ceil(ECHO_WAIT / DELAY_BUCKET) + 1);
    readPackets(file, (p) => {
      if (!p.rtp || !clientPorts.has(p.srcPort) || p.time > lastTime - ECHO_WAIT) return;
      sent++;
      const trace = returned.get(p.srcPort * 0x10000 + p.dstPort)?.get(p.ssrc);
      const back = trace ? trace.find(p.seq, p.timestamp, p.time, p.time + ECHO_WAIT) : NaN;
      if (Number.isNaN(back)) return;
      echoed++;
      const delay = back - p.time;
      if (delay > 0.1) over100++;
      if (delay > maxDelay) maxDelay = delay;
      buckets[Math.min(buckets.length - 1, Math.floor(delay / DELAY_BUCKET))]!++;
    });
    const percentile = (q: number): number => {
      let seen = 0;
      for (let i = 0; i < buckets.length; i++) {
        seen += buckets[i]!;
        if (seen >= q * echoed) return (i + 0.5) * DELAY_BUCKET * 1000;
      }
      return NaN;
    };
    echo = {
      sent,
      echoed,
      lossPct: sent > 0 ? ((sent - echoed) / sent) * 100 : NaN,
      delayP50Ms: echoed > 0 ? percentile(0.5) : NaN,
      delayP99Ms: echoed > 0 ? percentile(0.99) : NaN,
      delayMaxMs: echoed > 0 ? maxDelay * 1000 : NaN,
      over100Ms: over100,
    };
  }
  return {
    toServer: summarise(toServer),
    fromServer: summarise(fromServer),
    other: other + notRtp,
    firstTime,
    lastTime,
    ...(echo ? { echo } : {}),
  };
}

function summarise(flows: ReadonlyMap<number, ReadonlyMap<number, StreamStats>>): DirectionSummary {
  let packets = 0;
  let expected = 0;
  let received = 0;
  let duplicates = 0;
  let late = 0;
  let payloadBytes = 0;
  let weighted = 0;
  let weight = 0;
  let jitterMax = 0;
  let segments = 0;
  let streams = 0;
  const means: number[] = [];
  for (const s of [...flows.values()].flatMap((m) => [...m.values()])) {
    streams++;
    s.close();
    packets += s.packets;
    expected += s.expected;
    received += s.receivedPackets;
    duplicates += s.duplicates;
    late += s.late;
    payloadBytes += s.payloadBytes;
    if (s.segments > 1) segments++;
    const mean = s.meanJitterMs;
    if (Number.isFinite(mean)) {
      means.push(mean);
      weighted += mean * s.jitterCount;
      weight += s.jitterCount;
      jitterMax = Math.max(jitterMax, s.maxJitterMs);
    }
  }
  means.sort((a, b) => a - b);
  const lost = expected - received;
  return {
    streams,
    flows: flows.size,
    packets,
    expected,
    lost,
    lossPct: expected > 0 ? (lost / expected) * 100 : NaN,
    duplicates,
    late,
    payloadBytes,
    jitterMeanMs: weight > 0 ? weighted / weight : NaN,
    jitterP95Ms: means.length > 0 ? means[Math.min(means.length - 1, Math.floor(means.length * 0.95))]! : NaN,
    jitterMaxMs: means.length > 0 ? jitterMax : NaN,
    segments,
  };
}
