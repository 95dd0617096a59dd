// Development entry of the media worker under tsx. On Node 20 a worker thread does not get
// the tsx loader that `tsx` or `node --import tsx` installed in the main thread, so it
// registers tsx itself before importing the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
