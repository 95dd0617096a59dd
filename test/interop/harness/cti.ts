/**
 * What the CTI interop tests share: connecting desks (closed together after the file),
 * asking a request whose failure fails the test, and checking a sipp run ended well.
 */
import assert from 'node:assert/strict';
import { TestCtiClient } from '../../../src/cti/testing.js';
import type { SippRun } from './sipp.js';

/** A CTI client on `port` with `token`, remembered in `clients` so `after` can close it. */
export async function connectCti(
  port: number,
  token: string,
  clients: TestCtiClient[],
): Promise<TestCtiClient> {
  const client = await TestCtiClient.connect(port, token);
  clients.push(client);
  return client;
}

/** Sends a request and returns its result; an error response fails the test, naming the request. */
export async function ask(
  client: TestCtiClient,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const resp = await client.request(body);
  assert.ok(resp.ok, `${String(body['type'])} failed: ${JSON.stringify(resp)}`);
  return resp.result as Record<string, unknown>;
}

/** A sipp run that must have ended with exit code 0 (`who` names it in the failure). */
export function sippOk(run: SippRun, who: string): void {
  assert.equal(run.code, 0, `${who}: ${run.errors || run.stdout}`);
}
