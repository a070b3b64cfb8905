/** A worker thread of the release path: prepares views (open, fingerprint, render) for the main thread. */
import { serveBatches } from '../shared/worker-pool.ts';
import { prepareViews, type PrepareJob } from './prepare.ts';

serveBatches((job: PrepareJob) => prepareViews(job));
