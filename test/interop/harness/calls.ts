/**
 * Helpers shared by the media and call-feature interop tests: phones registered by sipp,
 * media ports, generated pcaps, and waiting for the rows Hotline writes when a call ends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StoredCdr } from '../../../src/store/index.js';
import { writeRtpPcap } from './pcap.js';
import { freePort } from './ports.js';
import { EXTENSIONS, type TestServer } from './server.js';
import { auth, runSipp } from './sipp.js';

export type ExtensionNumber = (typeof EXTENSIONS)[number]['number'];

export function credentials(number: ExtensionNumber): string {
  const ext = EXTENSIONS.find((e) => e.number === number);
  if (!ext) throw new Error(`no test extension ${number}`);
  return auth(ext.number, ext.password);
}

/** The first injection fields of our caller scenarios: user; auth; number. */
export function dialling(from: ExtensionNumber, number: string): string {
  return `${from};${credentials(from)};${number}`;
}

/**
 * Registers `number` with sipp, its only Contact pointing at `contactPort`, where another
 * sipp will take the calls (earlier bindings are removed first with Contact: *).
 */
export async function registerPhone(
  t: TestServer,
  number: ExtensionNumber,
  contactPort: number,
): Promise<void> {
  const clear = await runSipp({
    scenario: 'unregister-all.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [`${number};${credentials(number)}`],
  }).done;
  assert.equal(clear.code, 0, clear.errors || clear.stdout);
  const run = await runSipp({
    scenario: 'register.xml',
    server: t.sipPort,
    localPort: await freePort(),
    fields: [`${number};${credentials(number)};${contactPort};300`],
  }).done;
  assert.equal(run.code, 0, run.errors || run.stdout);
}

/** An even port for sipp's RTP (-mp), below the range Hotline's relay uses. */
export async function mediaPort(): Promise<number> {
  return 2 * Math.floor((await freePort()) / 2);
}

const pcapDirs: string[] = [];
process.once('exit', () => {
  for (const dir of pcapDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes samples as a PCMA pcap in a fresh folder (removed when the process exits) and returns its path. */
export function pcapOf(samples: Int16Array, ssrc: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotline-pcap-'));
  pcapDirs.push(dir);
  const file = path.join(dir, 'audio.pcap');
  writeRtpPcap(file, samples, { ssrc });
  return file;
}

/**
 * The CDR of a call that started after `since` (ms since the epoch) and matches; CDRs are
 * written as the call ends, in batches, so this waits a little for it.
 */
export async function cdrWhere(
  t: TestServer,
  since: number,
  match: (cdr: StoredCdr) => boolean,
  timeoutMs = 5000,
): Promise<StoredCdr> {
  const deadline = Date.now() + timeoutMs;
  let seen: StoredCdr[] = [];
  while (Date.now() < deadline) {
    seen = (await t.server.store.cdrs.list({ limit: 50 })).filter((c) => c.startedAt >= since - 1000);
    const hit = seen.find(match);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `no matching CDR within ${timeoutMs} ms; CDRs since the test began: ${JSON.stringify(seen)}`,
  );
}
