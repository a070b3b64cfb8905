/** A worker thread of the release path: reads orders through its own read-only connection and prepares their views. */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../shared/worker-pool.ts';
import { openReader, type StoreLocation } from '../store/index.ts';
import { runJob, type ReleaseJob } from './release-job.ts';

const reader = openReader(workerData as StoreLocation);
serveBatches((job: ReleaseJob) => runJob(reader, job));
