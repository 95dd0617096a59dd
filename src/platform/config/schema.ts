/**
 * The one configuration schema (STYLE principle 11). Every key has a default, so an empty
 * file is a valid configuration; unknown keys are refused so that a typo never silently
 * falls back to a default. Each section is exported so a module can take only its slice.
 * Every key is documented in docs/configuration.md (docs.test.ts keeps the two in step).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  checkCalls,
  checkCrossSection,
  checkExtensions,
  checkRegistrar,
  checkRtp,
  checkSecurity,
  checkSip,
} from './checks.js';
import { mediaSchema, musicOnHoldSchema, recordingSchema, ttsSchema } from './media-schema.js';
import { checkRoutingCrossSection, permissionSchema, routingSections } from './routing-schema.js';
import { ivrSchema } from './ivr-schema.js';
import { ctiSchema } from './cti-schema.js';
import { queueLogSchema } from './queue-log-schema.js';
import { acdSchema } from '../../acd/config-schema.js';
import { checkTrunkGroups, trunkGroupsSchema, trunksSchema } from './trunk-schema.js';
import { checkVoicemailCrossSection, voicemailSchema } from './voicemail-schema.js';
import {
  checkFeatureConfig,
  extensionFeatureFields,
  featuresSchema,
  ringGroupsSchema,
} from './features-schema.js';

const port = z.number().int().min(0).max(65535);
const count = (min: number) => z.number().int().min(min);

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const host = z
  .string()
  .refine((s) => isIP(s) !== 0 || HOST_NAME.test(s), 'must be an IP address or a host name');
const ipAddress = z.string().refine((s) => isIP(s) !== 0, 'must be an IP address such as 0.0.0.0 or ::');
/** Header values must not carry control characters (a CR/LF would split the SIP header). */
function isHeaderText(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
const headerText = z.string().min(1).refine(isHeaderText, 'must not contain control characters');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const AUTH_ALGORITHMS = ['MD5', 'SHA-256'] as const;
/** User-Agent fragments of well-known SIP scanners and war-diallers. */
export const DEFAULT_BLOCKED_USER_AGENTS = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'sip-scan',
  'sipsak',
  'VaxSIPUserAgent',
  'pplsip',
  'iWar',
  'sundayddr',
] as const;

export const tlsSchema = z.strictObject({
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
});

export const sipSchema = z
  .strictObject({
    udpPort: port.default(5060),
    tcpPort: port.default(5060),
    wsPort: port.default(0),
    wssPort: port.default(0),
    tls: tlsSchema.optional(),
    bindAddress: ipAddress.default('0.0.0.0'),
    domain: host.default('hotline.local'),
    advertisedAddress: host.default('127.0.0.1'),
    userAgent: headerText.max(200).default('Hotline'),
    tcpIdleTimeout: count(1).default(300),
    tcpMessageTimeout: count(1).default(10),
  })
  .superRefine(checkSip);

export const rtpSchema = z
  .strictObject({
    portMin: port.min(1).default(20000),
    portMax: port.min(1).default(20999),
  })
  .superRefine(checkRtp);

function isDatabase(s: string): boolean {
  if (s === 'sqlite') return true;
  try {
    const url = new URL(s);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false; // not a URL at all: the refinement reports it
  }
}

export const databaseSchema = z.string().refine(isDatabase, 'expected "sqlite" or a postgres:// URL');

export const extensionSchema = z.strictObject({
  number: z.string().regex(/^[0-9]{2,12}$/, 'must be 2 to 12 digits'),
  password: z.string().min(8),
  name: headerText.max(100).optional(),
  /** What numbers the extension may dial out (routing.md). */
  permission: permissionSchema,
  ...extensionFeatureFields,
});

export const extensionsSchema = z.array(extensionSchema).superRefine(checkExtensions);

export const logSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
});

export const registrarSchema = z
  .strictObject({
    minExpires: count(1).default(60),
    maxExpires: count(1).default(3600),
    defaultExpires: count(1).default(3600),
    maxContacts: count(1).max(100).default(5),
    qualifyInterval: count(0).default(60),
  })
  .superRefine(checkRegistrar);

/** A code dialled for a built-in service, like *43. */
const featureCode = (fallback: string) =>
  z
    .string()
    .regex(/^[0-9*#]{1,12}$/, 'must be 1 to 12 characters among 0-9, * and #')
    .default(fallback);

export const callsSchema = z
  .strictObject({
    noAnswerTimeout: count(1).max(3600).default(30),
    echoMaxDuration: count(1).max(86400).default(60),
    echoCode: featureCode('*43'),
    dtmfTestCode: featureCode('*44'),
    recordTestCode: featureCode('*45'),
    conferenceCode: featureCode('*46'),
    recordTestMaxDuration: count(1).max(300).default(10),
    transferTimeout: count(1).max(3600).default(30),
  })
  .superRefine(checkCalls);

export const limitsSchema = z.strictObject({
  maxCalls: count(1).default(2000),
  maxCallsPerSecond: count(1).default(800),
  retryAfter: count(1).max(3600).default(5),
});

export const securitySchema = z
  .strictObject({
    authAlgorithms: z
      .array(z.enum(AUTH_ALGORITHMS))
      .min(1)
      // MD5 alone by default: baresip (libre 1.1) gives up on a 401 that also offers
      // SHA-256, and most phones in the field know only MD5. SHA-256 is opt-in.
      .default(() => ['MD5' as const]),
    nonceLifetime: count(1).default(300),
    maxAuthFailures: count(0).default(5),
    failureWindow: count(1).default(60),
    blockDuration: count(1).default(600),
    blockedUserAgents: z.array(z.string().min(1)).default(() => [...DEFAULT_BLOCKED_USER_AGENTS]),
    rejectScanners: z.boolean().default(true),
  })
  .superRefine(checkSecurity);

export const configSchema = z
  .strictObject({
    sip: sipSchema.prefault({}),
    rtp: rtpSchema.prefault({}),
    database: databaseSchema.default('sqlite'),
    extensions: extensionsSchema.default(() => []),
    log: logSchema.prefault({}),
    registrar: registrarSchema.prefault({}),
    calls: callsSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    security: securitySchema.prefault({}),
    media: mediaSchema.prefault({}),
    recording: recordingSchema.prefault({}),
    musicOnHold: musicOnHoldSchema.prefault({}),
    tts: ttsSchema.prefault({}),
    ...routingSections,
    ivr: ivrSchema.prefault({}),
    cti: ctiSchema.prefault({}),
    queueLog: queueLogSchema.prefault({}),
    acd: acdSchema.prefault({}),
    trunks: trunksSchema.default(() => []),
    trunkGroups: trunkGroupsSchema.default(() => []),
    ringGroups: ringGroupsSchema.default(() => []),
    features: featuresSchema.prefault({}),
    voicemail: voicemailSchema.prefault({}),
  })
  .superRefine(checkCrossSection)
  .superRefine(checkRoutingCrossSection)
  .superRefine(checkTrunkGroups)
  .superRefine(checkFeatureConfig)
  .superRefine(checkVoicemailCrossSection);

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** What a configuration file may contain (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** A loaded configuration: complete (defaults applied), validated and frozen. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;
export type SipConfig = Config['sip'];
export type RtpConfig = Config['rtp'];
export type ExtensionConfig = Config['extensions'][number];
export type RegistrarConfig = Config['registrar'];
export type CallsConfig = Config['calls'];
export type LimitsConfig = Config['limits'];
export type SecurityConfig = Config['security'];
export type MediaConfig = Config['media'];
export type RecordingConfig = Config['recording'];
export type MusicOnHoldConfig = Config['musicOnHold'];
export type TtsConfig = Config['tts'];
export type MediaCodec = MediaConfig['codecs'][number];
export type ToneCountry = MediaConfig['tones'];
export type PromptLanguage = TtsConfig['language'];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type AuthAlgorithm = (typeof AUTH_ALGORITHMS)[number];
