/** A worker thread of `check --jsonl`: checks the batches the main thread sends and returns their output lines. */
import { parentPort } from 'node:worker_threads';
import { loadModel } from '../check/index.ts';
import { checkLines } from './check-lines.ts';

loadModel();
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (m: { id: number; lines: string[]; first: number }) => {
  parentPort?.postMessage({ id: m.id, out: checkLines(m.lines, m.first) });
});
