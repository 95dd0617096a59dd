/**
 * The configuration `hotline start` writes on its first run when no --config is given:
 * two extensions with passwords generated once for this installation, and the test codes
 * (*43 echo, *44 keypad, *45 recording, *46 conference room). It is written from a
 * commented template (not a serializer) so the file explains itself to whoever opens it next.
 */
import { randomInt as cryptoRandomInt } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_CONFIG_FILE = 'hotline.yaml';
export const DEMO_EXTENSIONS = ['1001', '1002'] as const;

/** Letters and digits that cannot be misread for one another (no 0/O, 1/l/I). */
const READABLE = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PASSWORD_LENGTH = 14;

export interface DemoConfigResult {
  readonly configPath: string;
  /** True when this call wrote the file; false when an earlier run had. */
  readonly created: boolean;
  /** Extension number → password, only when the file was just created. */
  readonly passwords?: Readonly<Record<string, string>>;
}

export interface DemoConfigOptions {
  /** Uniform integer in [0, max); defaults to node:crypto's randomInt. Injected for tests. */
  readonly randomInt?: (max: number) => number;
}

export function generatePassword(randomInt: (max: number) => number = cryptoRandomInt): string {
  let out = '';
  for (let i = 0; i < PASSWORD_LENGTH; i++) out += READABLE[randomInt(READABLE.length)];
  return out;
}

function extensionEntry(number: string, password: string): string {
  return [`  - number: "${number}"`, `    password: "${password}"`, `    name: Agent ${number}`].join('\n');
}

/** The demo file's text; every value in it is valid for the schema. */
export function demoConfigText(passwords: Readonly<Record<string, string>>): string {
  const extensions = Object.entries(passwords).map(([n, p]) => extensionEntry(n, p));
  return `# Hotline demo configuration, written by \`hotline start\` on its first run.
# Hotline reads it at every start; edit it freely, then check it with
#   npx hotline check-config data/hotline.yaml
# Keys left out take their defaults. Every key is described in docs/configuration.md.

sip:
  # Ports Hotline listens on for SIP; 0 turns a transport off. UDP and TCP may share a port.
  udpPort: 5060
  tcpPort: 5060
  # The address written into Contact, Via and SDP: where phones send SIP and audio.
  # 127.0.0.1 only reaches softphones on this machine. To register phones on other
  # machines, put this machine's LAN address here (for example 192.168.1.20).
  advertisedAddress: 127.0.0.1
  # The SIP domain the extensions belong to (sip:1001@hotline.local).
  domain: hotline.local

rtp:
  # UDP ports for call audio. Every call's RTP is relayed through this range.
  portMin: 20000
  portMax: 20999

# "sqlite" keeps all data in hotline.db inside the data directory;
# a postgres:// URL (postgres://user:password@host/dbname) uses PostgreSQL instead.
database: sqlite

log:
  # fatal, error, warn, info, debug, trace or silent. debug also prints stack traces.
  level: info

# Extensions that may register and call each other. A number is 2 to 12 digits, in quotes;
# a password has at least 8 characters. These passwords were generated for this
# installation: keep this file private and change them before exposing the server.
extensions:
${extensions.join('\n')}

calls:
  # Dial this code for the echo test: you hear your own voice back.
  echoCode: "*43"
  # The echo test hangs up after this many seconds.
  echoMaxDuration: 60
  # Keypad test: Hotline says each key you press.
  dtmfTestCode: "*44"
  # Recording test: speak after the tone and hear it played back.
  recordTestCode: "*45"
  # A demo conference room: everyone who dials it joins the same room.
  conferenceCode: "*46"
  # Seconds an extension rings before the caller hears 480 Temporarily Unavailable.
  noAnswerTimeout: 30
`;
}

/**
 * Returns `${dataDir}/hotline.yaml`, writing the demo configuration there first if the file
 * does not exist yet. An existing file is never touched, so passwords survive restarts.
 */
export function ensureDemoConfig(dataDir: string, opts: DemoConfigOptions = {}): DemoConfigResult {
  const configPath = join(dataDir, DEMO_CONFIG_FILE);
  if (existsSync(configPath)) return { configPath, created: false };
  mkdirSync(dataDir, { recursive: true });
  const passwords: Record<string, string> = {};
  for (const number of DEMO_EXTENSIONS) passwords[number] = generatePassword(opts.randomInt);
  try {
    // 'wx': fail rather than overwrite if another process created the file meanwhile.
    writeFileSync(configPath, demoConfigText(passwords), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { configPath, created: false };
    throw err;
  }
  return { configPath, created: true, passwords };
}
