/**
 * Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3: on a stream,
 * Content-Length is mandatory and tells where the body ends).
 *
 *   await-start ──(CRLF CRLF)──> emit ping, stay     (RFC 5626 §4.4.1 keep-alive)
 *        │ other byte
 *        v
 *   await-header-end ──(empty line)──> read Content-Length ──> await-body
 *        ^                                                         │ body complete
 *        └──────────────── emit message ───────────────────────────┘
 *
 * Bytes are kept in one growable buffer; the search for the empty line resumes where
 * it stopped, so a message that drips in byte by byte costs linear time.
 */
import { DEFAULT_PARSE_LIMITS } from './types.js';

export type FramerOutput =
  | { readonly kind: 'message'; readonly bytes: Buffer }
  | { readonly kind: 'ping' }
  | { readonly kind: 'error'; readonly reason: string };

export interface FramerLimits {
  /** Largest start line plus headers, including the empty line. */
  readonly maxHeaderBytes: number;
  /** Largest whole message. */
  readonly maxMessageBytes: number;
}

export const DEFAULT_FRAMER_LIMITS: FramerLimits = {
  maxHeaderBytes: 32_768,
  maxMessageBytes: DEFAULT_PARSE_LIMITS.maxMessageBytes,
};

const INITIAL_SIZE = 4096;
const SHRINK_ABOVE = 16_384;
const CR = 0x0d;
const LF = 0x0a;

export class StreamFramer {
  private store = Buffer.allocUnsafe(INITIAL_SIZE);
  /** Unconsumed bytes are store[start, end). */
  private start = 0;
  private end = 0;
  /** Where the search for the header-ending empty line resumes (absolute index). */
  private scanFrom = 0;
  /** Total length of the current message once its headers are read; 0 while unknown. */
  private messageLength = 0;
  private failed = false;
  private readonly limits: FramerLimits;

  constructor(limits: Partial<FramerLimits> = {}) {
    this.limits = { ...DEFAULT_FRAMER_LIMITS, ...limits };
  }

  /** Bytes of an incomplete message held back, waiting for the rest. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Feeds bytes; returns what became complete. After an error nothing more is returned. */
  push(chunk: Buffer): FramerOutput[] {
    if (this.failed) return [];
    this.append(chunk);
    const out: FramerOutput[] = [];
    for (;;) {
      const next = this.next();
      if (next === undefined) break;
      out.push(next);
      if (next.kind === 'error') {
        this.failed = true;
        break;
      }
    }
    this.compact();
    return out;
  }

  private next(): FramerOutput | undefined {
    if (this.messageLength === 0) {
      const keepAlive = this.skipKeepAlive();
      if (keepAlive !== 'none') return keepAlive === 'ping' ? { kind: 'ping' } : undefined;
      const headerEnd = this.findHeaderEnd();
      if (headerEnd < 0) {
        return this.end - this.start > this.limits.maxHeaderBytes
          ? { kind: 'error', reason: 'Header section too large' }
          : undefined;
      }
      const headerBytes = headerEnd - this.start;
      if (headerBytes > this.limits.maxHeaderBytes)
        return { kind: 'error', reason: 'Header section too large' };
      const length = readContentLength(this.store.toString('latin1', this.start, headerEnd));
      if (typeof length === 'string') return { kind: 'error', reason: length };
      if (headerBytes + length > this.limits.maxMessageBytes)
        return { kind: 'error', reason: 'Message too large' };
      this.messageLength = headerBytes + length;
    }
    if (this.end - this.start < this.messageLength) return undefined;
    const bytes = Buffer.from(this.store.subarray(this.start, this.start + this.messageLength));
    this.start += this.messageLength;
    this.scanFrom = this.start;
    this.messageLength = 0;
    return { kind: 'message', bytes };
  }

  /**
   * Between messages: CRLF CRLF is a keep-alive ping (RFC 5626 §4.4.1); a lone CRLF (a
   * pong, or the empty lines RFC 3261 §7.5 says to ignore) and bare LFs are dropped.
   * Returns 'wait' when the bytes so far could still become a ping.
   */
  private skipKeepAlive(): 'ping' | 'wait' | 'none' {
    const s = this.store;
    for (;;) {
      const avail = this.end - this.start;
      if (avail === 0) return 'wait';
      const b0 = s[this.start];
      if (b0 === LF) {
        this.start++;
        continue;
      }
      if (b0 !== CR) break;
      if (avail < 4) {
        // CR, CR LF, CR LF CR: a ping may be in progress.
        const prefixOfPing =
          (avail < 2 || s[this.start + 1] === LF) && (avail < 3 || s[this.start + 2] === CR);
        if (prefixOfPing) return 'wait';
      } else if (s[this.start + 1] === LF && s[this.start + 2] === CR && s[this.start + 3] === LF) {
        this.start += 4;
        this.scanFrom = this.start;
        return 'ping';
      }
      if (s[this.start + 1] !== LF) break;
      this.start += 2;
    }
    if (this.scanFrom < this.start) this.scanFrom = this.start;
    return 'none';
  }

  /** Index just past the empty line that ends the headers, or -1; resumes at scanFrom. */
  private findHeaderEnd(): number {
    const view = this.store.subarray(0, this.end);
    let from = this.scanFrom;
    for (;;) {
      const lf = view.indexOf(LF, from);
      if (lf < 0) {
        this.scanFrom = this.end;
        return -1;
      }
      // The line ending at `lf` is empty if it is LF alone or CR LF, right after another LF.
      const before = lf - 1 >= this.start ? view[lf - 1] : undefined;
      if (before === LF) return lf + 1;
      if (before === CR && lf - 2 >= this.start && view[lf - 2] === LF) return lf + 1;
      from = lf + 1;
    }
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.store.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.store.length) {
        this.store.copy(this.store, 0, this.start, this.end);
      } else {
        let size = this.store.length;
        while (size < live + chunk.length) size *= 2;
        const grown = Buffer.allocUnsafe(size);
        this.store.copy(grown, 0, this.start, this.end);
        this.store = grown;
      }
      this.shift(this.start);
    }
    chunk.copy(this.store, this.end);
    this.end += chunk.length;
  }

  /** Moves unconsumed bytes to the front once more than half the store is consumed. */
  private compact(): void {
    if (this.start === this.end) {
      this.shift(this.start);
      // Give back the room a large message needed; idle connections are many.
      if (this.store.length > SHRINK_ABOVE) this.store = Buffer.allocUnsafe(INITIAL_SIZE);
    } else if (this.start > this.store.length / 2) {
      this.store.copy(this.store, 0, this.start, this.end);
      this.shift(this.start);
    }
  }

  private shift(by: number): void {
    this.start -= by;
    this.end -= by;
    this.scanFrom -= by;
  }
}

/**
 * Content-Length (or its compact form `l`) from a header block (RFC 3261 §18.3, §20.14).
 * Missing, malformed or repeated is an error on a stream.
 */
function readContentLength(head: string): number | string {
  let found: number | undefined;
  for (const raw of head.split('\n')) {
    const colon = raw.indexOf(':');
    if (colon < 0) continue;
    const name = raw.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    const value = raw.slice(colon + 1).trim();
    if (found !== undefined) return 'Duplicate Content-Length header';
    // Leading zeros are legal (1*DIGIT); ten significant digits already exceed any limit.
    const significant = value.replace(/^0+(?=\d)/, '');
    if (significant.length > 10 || !/^[0-9]+$/.test(significant)) return 'Bad Content-Length header';
    found = Number(significant);
  }
  return found ?? 'Missing Content-Length header';
}
