/**
 * What `hotline start` and `hotline check-config` tell the person at the terminal. Pure
 * functions of the configuration, so the wording is tested without starting anything.
 */
import { relative } from 'node:path';
import type { Config } from '../platform/config/index.js';

/** `UDP 5060, TCP 5060, WS 8080`: the SIP listeners that are on. */
export function describeListeners(sip: Config['sip']): string {
  const listeners: [string, number][] = [
    ['UDP', sip.udpPort],
    ['TCP', sip.tcpPort],
    ['WS', sip.wsPort],
    ['WSS', sip.wssPort],
  ];
  return listeners
    .filter(([, port]) => port !== 0)
    .map(([name, port]) => `${name} ${port}`)
    .join(', ');
}

/** `sqlite`, or `postgres db.example:5432/hotline` without the credentials of the URL. */
export function describeDatabase(database: string): string {
  if (database === 'sqlite') return 'sqlite';
  const url = new URL(database);
  return `postgres ${url.host}${url.pathname}`;
}

function describeExtensions(extensions: Config['extensions']): string {
  const numbers = extensions.map((e) => e.number);
  const shown = numbers.length > 5 ? [...numbers.slice(0, 5), '…'] : numbers;
  const noun = numbers.length === 1 ? 'extension' : 'extensions';
  return numbers.length === 0 ? 'no extensions' : `${numbers.length} ${noun} (${shown.join(', ')})`;
}

/** One line: where SIP listens, RTP range, database, extensions, echo code. */
export function summarize(config: Config): string {
  const { sip, rtp } = config;
  return [
    `SIP ${sip.domain} at ${sip.advertisedAddress}: ${describeListeners(sip)}`,
    `RTP ${rtp.portMin}-${rtp.portMax}`,
    `database ${describeDatabase(config.database)}`,
    describeExtensions(config.extensions),
    `echo test ${config.calls.echoCode}`,
  ].join('; ');
}

/** A path as the user would type it from the current directory. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

export interface FirstRunBannerInput {
  readonly config: Config;
  readonly configPath: string;
  readonly passwords: Readonly<Record<string, string>>;
}

/** Shown once, right after the demo configuration was created and the server started. */
export function firstRunBanner({ config, configPath, passwords }: FirstRunBannerInput): string {
  const file = displayPath(configPath);
  const { sip } = config;
  const [first, second] = config.extensions;
  const rule = '─'.repeat(72);
  const lines = [
    rule,
    ` Hotline is running. Demo configuration written to ${file}`,
    '',
    ' Extensions (passwords generated for this installation):',
    ...config.extensions.map(
      (e) => `   ${e.number.padEnd(6)} password  ${passwords[e.number] ?? '(see ' + file + ')'}`,
    ),
    '',
    ` SIP server  ${sip.advertisedAddress}  (${describeListeners(sip)})   domain ${sip.domain}`,
    ' Register a softphone (Linphone, MicroSIP, Zoiper, baresip) with:',
    `   server ${sip.advertisedAddress}, user ${first?.number ?? '1001'}, the password above, transport UDP or TCP`,
    ` Then dial ${config.calls.echoCode} for the echo test, or ${second?.number ?? '1002'} to call the other extension.`,
    ` Step by step: docs/getting-started.md. The passwords stay in ${file}.`,
    rule,
  ];
  return lines.join('\n');
}

/** Shown at every later start: enough to know what is running and where. */
export function startedLine(config: Config, configPath: string): string {
  return `Hotline is running with ${displayPath(configPath)}: ${summarize(config)}.`;
}
