/** A worker thread of `check --jsonl`: checks the batches the main thread sends and returns their output lines. */
import { loadModel } from '../check/index.ts';
import { serveBatches } from '../shared/worker-pool.ts';
import { checkLines } from './check-lines.ts';

loadModel();
serveBatches((b: { lines: string[]; first: number }) => checkLines(b.lines, b.first));
