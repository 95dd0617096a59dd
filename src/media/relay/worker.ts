/**
 * Media worker entry: owns the UDP sockets of its endpoints and answers the main thread's
 * requests (protocol.ts). Started by MediaRelay, directly as worker.js in a build, or
 * through tsx-worker.mjs when running TypeScript under tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerRequest } from './protocol.js';
import { WorkerHost } from './worker-host.js';

const port = parentPort;
if (port === null) throw new Error('media worker must run in a worker thread');

const init = (workerData as { init: WorkerInit }).init;
const host = new WorkerHost(init, (event) => port.postMessage(event));

port.on('message', (req: WorkerRequest) => {
  void host.handle(req).then((res) => port.postMessage(res));
});
