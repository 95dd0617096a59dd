/**
 * Validation of MediaRelay arguments on the main thread, before anything crosses to a
 * worker: a bad argument is the caller's mistake and gets MEDIA_INVALID_ARGUMENT at once,
 * naming the field. The worker trusts what passed here.
 */
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { ENGINE_CODECS, isEngineCodec } from '../engine/frame-codec.js';
import { MAX_SEND_DURATION_MS, MIN_SEND_DURATION_MS } from '../dtmf/rfc4733-sender.js';
import { MediaError } from '../errors.js';
import { TONE_NAMES, toneProfile } from '../tones/profiles.js';
import type { JoinOptions, PlayItem, PlayOptions, RecordingOptions, StreamFormat } from './control.js';
import type { CreateEndpointOptions, RemoteAddress } from './types.js';

const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const ROLES = new Set(['full', 'listen', 'whisper']);
const DIGITS = /^[0-9*#A-D]+$/;
/** sendDtmf accepts at most this many digits per call (a long string is a caller bug). */
const MAX_DIGITS = 64;

function invalid(message: string, details?: Record<string, unknown>): MediaError {
  return new MediaError('MEDIA_INVALID_ARGUMENT', message, details);
}

function isPayloadType(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 127;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function checkFormat(f: StreamFormat): StreamFormat {
  if (typeof f !== 'object' || f === null) throw invalid('format must be an object');
  if (typeof f.codec !== 'string' || !isEngineCodec(f.codec)) {
    throw invalid(
      `codec ${String(f.codec)} is not supported (${ENGINE_CODECS.join(', ')}); leave the endpoint unconfigured to relay it as is`,
    );
  }
  if (!isPayloadType(f.payloadType)) throw invalid(`payloadType ${String(f.payloadType)} is not 0–127`);
  if (!Number.isInteger(f.ptimeMs) || f.ptimeMs < 10 || f.ptimeMs > 60 || f.ptimeMs % 10 !== 0) {
    throw invalid(`ptimeMs ${String(f.ptimeMs)} is not 10–60 in steps of 10`);
  }
  if (f.telephoneEvent !== null && (!isPayloadType(f.telephoneEvent) || f.telephoneEvent === f.payloadType)) {
    throw invalid(`telephoneEvent ${String(f.telephoneEvent)} is not a payload type apart from the codec's`);
  }
  if (!DIRECTIONS.has(f.direction)) throw invalid(`direction ${String(f.direction)} is not an SDP direction`);
  // Only the fields of the contract cross to the worker.
  return {
    codec: f.codec.toUpperCase(),
    payloadType: f.payloadType,
    ptimeMs: f.ptimeMs,
    telephoneEvent: f.telephoneEvent,
    direction: f.direction,
  };
}

function checkItem(item: PlayItem, i: number): PlayItem {
  const where = `items[${i}]`;
  if (typeof item !== 'object' || item === null) throw invalid(`${where} must be an object`);
  if ('file' in item) {
    if (!nonEmpty(item.file) || !isAbsolute(item.file))
      throw invalid(`${where}.file must be an absolute path`);
    return { file: item.file };
  }
  if ('tone' in item) {
    if (!(TONE_NAMES as readonly string[]).includes(item.tone))
      throw invalid(`${where}.tone ${String(item.tone)} is unknown`);
    if (item.profile !== undefined && toneProfile(String(item.profile)) === undefined) {
      throw invalid(`${where}.profile ${String(item.profile)} is not a tone profile`);
    }
    if (item.durationMs !== undefined && !(Number.isFinite(item.durationMs) && item.durationMs >= 0)) {
      throw invalid(`${where}.durationMs must be a number ≥ 0`);
    }
    return item;
  }
  if ('silenceMs' in item) {
    if (!(Number.isFinite(item.silenceMs) && item.silenceMs >= 0))
      throw invalid(`${where}.silenceMs must be ≥ 0`);
    return { silenceMs: item.silenceMs };
  }
  throw invalid(`${where} is neither a file, a tone nor silence`);
}

export function checkPlay(o: PlayOptions): PlayOptions {
  if (typeof o !== 'object' || o === null) throw invalid('play options must be an object');
  if (!nonEmpty(o.playId)) throw invalid('playId must be a non-empty string');
  if (!Array.isArray(o.items) || o.items.length === 0) throw invalid('items must be a non-empty list');
  return {
    playId: o.playId,
    items: o.items.map(checkItem),
    loop: o.loop === true,
    interruptOnDtmf: o.interruptOnDtmf === true,
  };
}

/** Upper-cased digits and the duration, checked. */
export function checkDtmf(digits: string, durationMs: number): { digits: string; durationMs: number } {
  const d = typeof digits === 'string' ? digits.toUpperCase() : '';
  if (!DIGITS.test(d) || d.length > MAX_DIGITS) {
    throw invalid(`digits "${String(digits)}" must be 1–${MAX_DIGITS} of 0-9 * # A-D`);
  }
  if (
    !Number.isFinite(durationMs) ||
    durationMs < MIN_SEND_DURATION_MS ||
    durationMs > MAX_SEND_DURATION_MS
  ) {
    throw invalid(`durationMs ${durationMs} is outside ${MIN_SEND_DURATION_MS}–${MAX_SEND_DURATION_MS}`);
  }
  return { digits: d, durationMs: Math.round(durationMs) };
}

export function checkJoin(id: string, o: JoinOptions): JoinOptions {
  if (typeof o !== 'object' || o === null || !ROLES.has(o.role)) {
    throw invalid(`role must be full, listen or whisper`);
  }
  if (o.role !== 'whisper') return { role: o.role };
  if (!nonEmpty(o.whisperTo) || o.whisperTo === id)
    throw invalid('a whisper needs whisperTo, another endpoint');
  return { role: 'whisper', whisperTo: o.whisperTo };
}

export function checkRecording(o: RecordingOptions): RecordingOptions {
  if (typeof o !== 'object' || o === null) throw invalid('recording options must be an object');
  if (!nonEmpty(o.recId)) throw invalid('recId must be a non-empty string');
  if (!nonEmpty(o.path) || !isAbsolute(o.path)) throw invalid('path must be an absolute path');
  if (!nonEmpty(o.left)) throw invalid('left must be an endpoint id');
  if (o.right !== null && (!nonEmpty(o.right) || o.right === o.left)) {
    throw invalid('right must be null or another endpoint id');
  }
  return { recId: o.recId, path: o.path, left: o.left, right: o.right };
}

/** The address to advertise; both addresses must be IP literals, the advertised one routable. */
export function checkBindAddresses(opts: CreateEndpointOptions): string {
  if (isIP(opts.bindAddress) === 0) {
    throw invalid(`bindAddress "${opts.bindAddress}" is not an IP address`);
  }
  const advertised = opts.advertisedAddress ?? opts.bindAddress;
  if (isIP(advertised) === 0 || advertised === '0.0.0.0' || advertised === '::') {
    throw invalid(`cannot advertise "${advertised}"; set advertisedAddress`);
  }
  return advertised;
}

export function checkRemote(r: RemoteAddress): void {
  const portOk = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
  const ipOk = (a: unknown) => typeof a === 'string' && isIP(a) !== 0;
  const ok =
    ipOk(r.address) &&
    portOk(r.port) &&
    (r.rtcpAddress === undefined || ipOk(r.rtcpAddress)) &&
    (r.rtcpPort === undefined || portOk(r.rtcpPort));
  if (!ok) throw invalid(`bad remote media address ${r.address}:${r.port}`);
}
