/**
 * Worker thread of workerGeoSource (geo-worker-source.ts): decodes the number facts tables
 * once when it starts, says `ready` (or `failed`), then answers one lookup per message from
 * memory. Lookups that arrive while it loads wait in the message queue.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RoutingError } from './errors.js';
import { loadGeoTables } from './geo-data.js';
import type { GeoReply, GeoRequest, GeoWorkerData } from './geo-worker-source.js';
import { chinaNsnOfE164, describeNational, NO_ANSWER, type GeoTables } from './geo-tables.js';

const port = parentPort;
if (port === null) throw new Error('geo-worker.ts must run as a worker thread');

let tables: GeoTables | undefined;
try {
  const loaded = loadGeoTables((workerData as GeoWorkerData | null)?.files);
  tables = loaded.tables;
  port.postMessage({ type: 'ready', info: loaded.info } satisfies GeoReply);
} catch (err) {
  const code = err instanceof RoutingError ? err.code : 'ROUTING_GEO_DATA';
  const message = err instanceof Error ? err.message : String(err);
  port.postMessage({ type: 'failed', code, message } satisfies GeoReply);
}

port.on('message', (req: GeoRequest) => {
  const nsn = tables === undefined ? undefined : chinaNsnOfE164(req.e164);
  const answer = tables === undefined || nsn === undefined ? NO_ANSWER : describeNational(tables, nsn);
  port.postMessage({ type: 'answer', id: req.id, ...answer } satisfies GeoReply);
});
