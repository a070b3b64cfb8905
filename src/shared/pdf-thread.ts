/**
 * The PDF thread: reports are drawn on one worker thread, never the server's event loop, and at most
 * MAX_QUEUED wait at once; past that a request is refused (`PdfBusyError`, a 503) instead of queueing without end.
 */
import type { Worker } from 'node:worker_threads';
import type { ReportDoc } from './report-doc.ts';
import { siblingModule, startWorker } from './worker-pool.ts';

/** Reports drawn or waiting at once; more are refused. */
export const MAX_QUEUED = 8;

/** Too many reports are being drawn: try again shortly. */
export class PdfBusyError extends Error {
  override name = 'PdfBusyError';
}

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();

function failAll(e: Error): void {
  for (const w of waiting.values()) w.reject(e);
  waiting.clear();
  worker = undefined;
}

function pdfWorker(): Worker {
  if (worker) return worker;
  const w = startWorker(siblingModule(import.meta.url, './pdf-worker'), undefined);
  w.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
    const job = waiting.get(m.id);
    if (!job) return;
    waiting.delete(m.id);
    if (m.bytes) job.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else job.reject(new Error(`the PDF thread could not draw the report (${m.error ?? 'unknown'})`));
    // An idle worker must not keep a CLI process alive.
    if (waiting.size === 0) w.unref();
  });
  w.on('error', (e) => {
    failAll(e instanceof Error ? e : new Error('the PDF thread failed'));
  });
  w.on('exit', () => {
    failAll(new Error('the PDF thread stopped'));
  });
  worker = w;
  return w;
}

/** Draws the report on the PDF thread. */
export function renderOffThread(doc: ReportDoc): Promise<Buffer> {
  if (waiting.size >= MAX_QUEUED) return Promise.reject(new PdfBusyError('too many reports are being drawn: try again shortly'));
  const w = pdfWorker();
  const id = nextId++;
  w.ref();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, doc });
  });
}
