/**
 * A thread that checkpoints a SQLite database's WAL on a timer, so that the thread writing releases never
 * does: an automatic checkpoint runs inside whichever commit crosses the threshold and copies up to 40 MB
 * back into the database file, which cost that thread about 4 us a view in the release benchmark.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

const { url, everyMs } = workerData as { url: string; everyMs: number };
const db = new Sqlite(url, { fileMustExist: true });
// PASSIVE never waits for the writer or the readers: it copies what it can and leaves the rest for next time.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), everyMs);
parentPort?.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
parentPort?.postMessage('ready');
