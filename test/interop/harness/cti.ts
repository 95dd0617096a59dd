/**
 * What the CTI interop tests share: connecting desks (closed together after the file),
 * asking a request whose failure fails the test, and the `cti` section of their servers.
 */
import assert from 'node:assert/strict';
import { TestCtiClient } from '../../../src/cti/testing.js';

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

/** The `cti` section of a test server: on `port` of 127.0.0.1, with these tokens. */
export function ctiSection(port: number, tokens: readonly Record<string, string>[]): Record<string, unknown> {
  return { enabled: true, port, bindAddress: '127.0.0.1', tokens };
}
