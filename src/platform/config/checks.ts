/**
 * Rules that span several keys, attached to the smallest section that owns all of them so
 * that each still runs when an unrelated section is invalid. Pure: each takes the parsed
 * section and reports problems with a path relative to it.
 */

type Path = (string | number)[];

/** The part of zod's refinement context these rules use. */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; path: Path; message: string }): void;
}

function report(ctx: IssueSink, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

interface SipPorts {
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly wsPort: number;
  readonly wssPort: number;
  readonly tls?: unknown;
}

/**
 * UDP and TCP may share a port number (5060 is the SIP default for both); TCP, WS and WSS
 * are all TCP listeners, so two of them on one port cannot both bind.
 */
export function checkSip(sip: SipPorts, ctx: IssueSink): void {
  if (sip.udpPort === 0 && sip.tcpPort === 0 && sip.wsPort === 0 && sip.wssPort === 0) {
    report(ctx, [], 'every transport is off: set at least one of udpPort, tcpPort, wsPort, wssPort');
  }
  const streamPorts = ['tcpPort', 'wsPort', 'wssPort'] as const;
  streamPorts.forEach((key, i) => {
    const owner = streamPorts.slice(0, i).find((other) => sip[other] === sip[key]);
    if (sip[key] !== 0 && owner !== undefined) {
      report(ctx, [key], `port ${sip[key]} is already used by sip.${owner}`);
    }
  });
  if (sip.wssPort !== 0 && sip.tls === undefined) {
    report(ctx, ['wssPort'], 'needs sip.tls (certFile and keyFile)');
  }
}

interface RtpRange {
  readonly portMin: number;
  readonly portMax: number;
}

/** RTP takes an even port and RTCP the odd one above it (RFC 3550 §11), so a range needs such a pair. */
export function checkRtp(rtp: RtpRange, ctx: IssueSink): void {
  if (rtp.portMax <= rtp.portMin) {
    report(ctx, ['portMax'], `must be greater than rtp.portMin (${rtp.portMin})`);
    return;
  }
  const firstEven = rtp.portMin % 2 === 0 ? rtp.portMin : rtp.portMin + 1;
  if (firstEven + 1 > rtp.portMax) {
    report(ctx, [], 'the range must hold at least one even RTP port and the odd RTCP port after it');
  }
}

export function checkExtensions(extensions: readonly { readonly number: string }[], ctx: IssueSink): void {
  const seen = new Set<string>();
  extensions.forEach((ext, i) => {
    if (seen.has(ext.number)) report(ctx, [i, 'number'], `duplicate extension number "${ext.number}"`);
    seen.add(ext.number);
  });
}

interface RegistrarTimes {
  readonly minExpires: number;
  readonly maxExpires: number;
  readonly defaultExpires: number;
}

export function checkRegistrar(reg: RegistrarTimes, ctx: IssueSink): void {
  if (reg.maxExpires < reg.minExpires) {
    report(ctx, ['maxExpires'], `must be at least registrar.minExpires (${reg.minExpires})`);
    return;
  }
  if (reg.defaultExpires < reg.minExpires || reg.defaultExpires > reg.maxExpires) {
    report(
      ctx,
      ['defaultExpires'],
      `must be between registrar.minExpires (${reg.minExpires}) and registrar.maxExpires (${reg.maxExpires})`,
    );
  }
}

export function checkSecurity(sec: { readonly authAlgorithms: readonly string[] }, ctx: IssueSink): void {
  sec.authAlgorithms.forEach((alg, i) => {
    if (sec.authAlgorithms.indexOf(alg) !== i)
      report(ctx, ['authAlgorithms', i], `duplicate algorithm "${alg}"`);
  });
}

interface WholeConfig {
  readonly sip: { readonly udpPort: number };
  readonly rtp: RtpRange;
  readonly extensions: readonly { readonly number: string }[];
  readonly calls: { readonly echoCode: string };
}

/** Rules between sections; these run once every section is valid on its own. */
export function checkCrossSection(cfg: WholeConfig, ctx: IssueSink): void {
  const udp = cfg.sip.udpPort;
  if (udp !== 0 && udp >= cfg.rtp.portMin && udp <= cfg.rtp.portMax) {
    report(ctx, ['rtp'], `range ${cfg.rtp.portMin}-${cfg.rtp.portMax} includes sip.udpPort (${udp})`);
  }
  const clash = cfg.extensions.findIndex((ext) => ext.number === cfg.calls.echoCode);
  if (clash !== -1) {
    report(ctx, ['calls', 'echoCode'], `"${cfg.calls.echoCode}" is also extensions[${clash}].number`);
  }
}
