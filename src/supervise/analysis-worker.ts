/** The accountability analysis thread: analyses through its own read-only connection to the store (analysis-thread.ts). */
import { workerData } from 'node:worker_threads';
import { serveBatches } from '../shared/worker-pool.ts';
import { openReader, type StoreLocation } from '../store/index.ts';
import type { AnalysisJob } from './analysis-thread.ts';
import { analyseAccountability } from './activity.ts';

const reader = openReader(workerData as StoreLocation);
serveBatches((job: AnalysisJob) =>
  analyseAccountability({ store: { db: reader.db }, ledger: { tree: { size: job.size } } }, job.me, job.window),
);
