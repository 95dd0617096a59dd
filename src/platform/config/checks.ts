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

/** Reports every repeat of an earlier value in a list, at the repeat's index under `path`. */
export function checkUnique(values: readonly string[], noun: string, ctx: IssueSink, path: Path = []): void {
  values.forEach((value, i) => {
    if (values.indexOf(value) !== i) report(ctx, [...path, i], `duplicate ${noun} "${value}"`);
  });
}

export function checkSecurity(sec: { readonly authAlgorithms: readonly string[] }, ctx: IssueSink): void {
  checkUnique(sec.authAlgorithms, 'algorithm', ctx, ['authAlgorithms']);
}

/** The codes dialled for built-in services, in the order they are checked against each other. */
export const FEATURE_CODE_KEYS = ['echoCode', 'dtmfTestCode', 'recordTestCode', 'conferenceCode'] as const;
type FeatureCodes = Readonly<Record<(typeof FEATURE_CODE_KEYS)[number], string>>;

/** Two services on one code could never both be reached: the later key is reported. */
export function checkCalls(calls: FeatureCodes, ctx: IssueSink): void {
  FEATURE_CODE_KEYS.forEach((key, i) => {
    const owner = FEATURE_CODE_KEYS.slice(0, i).find((other) => calls[other] === calls[key]);
    if (owner !== undefined) report(ctx, [key], `"${calls[key]}" is already calls.${owner}`);
  });
}

export function checkJitterBuffer(
  jb: { readonly targetMs: number; readonly maxMs: number },
  ctx: IssueSink,
): void {
  if (jb.targetMs > jb.maxMs) {
    report(ctx, ['targetMs'], `must be at most media.jitterBuffer.maxMs (${jb.maxMs})`);
  }
}

/** The music-on-hold class Hotline generates itself, always present. */
export const DEFAULT_MOH_CLASS = 'default';

/** The default class must be one that exists: the generated one or a listed one. */
export function checkMusicOnHold(
  moh: { readonly classes: Readonly<Record<string, string>>; readonly defaultClass: string },
  ctx: IssueSink,
): void {
  if (moh.defaultClass === DEFAULT_MOH_CLASS || Object.hasOwn(moh.classes, moh.defaultClass)) return;
  const known = new Set([DEFAULT_MOH_CLASS, ...Object.keys(moh.classes)]);
  report(
    ctx,
    ['defaultClass'],
    `no class "${moh.defaultClass}" in musicOnHold.classes (known: ${[...known].join(', ')})`,
  );
}

interface WholeConfig {
  readonly sip: { readonly udpPort: number };
  readonly rtp: RtpRange;
  readonly extensions: readonly { readonly number: string }[];
  readonly calls: FeatureCodes;
}

/** Rules between sections; these run once every section is valid on its own. */
export function checkCrossSection(cfg: WholeConfig, ctx: IssueSink): void {
  const udp = cfg.sip.udpPort;
  if (udp !== 0 && udp >= cfg.rtp.portMin && udp <= cfg.rtp.portMax) {
    report(ctx, ['rtp'], `range ${cfg.rtp.portMin}-${cfg.rtp.portMax} includes sip.udpPort (${udp})`);
  }
  for (const key of FEATURE_CODE_KEYS) {
    const code = cfg.calls[key];
    const clash = cfg.extensions.findIndex((ext) => ext.number === code);
    if (clash !== -1) report(ctx, ['calls', key], `"${code}" is also extensions[${clash}].number`);
  }
}
