/** The custody context every custody function takes; apart from context.ts, which opens it, so that naming the type imports no circle. */
import type { Ledger } from '../ledger/index.ts';
import type { Store } from '../store/index.ts';
import type { Keyring } from './keyring.ts';
import type { ReleaseWorkers } from './release-workers.ts';

/** What read-only code needs of a custody context: its query builder (a worker thread's reader gives the same). */
export interface StoreReader {
  store: { db: Store['db'] };
}

/** An open custody context. */
export interface Custody {
  store: Store;
  keyring: Keyring;
  ledger: Ledger;
  /** Worker threads that prepare large releases (none unless asked for). */
  workers: ReleaseWorkers;
  /**
   * Brings this process's keys up to what the store holds now: data, index, fingerprint and ledger versions
   * and the master key another process (the command line) rotated. One small query when nothing changed (on
   * PostgreSQL at most once a second unless `force`, or a key version was missed since).
   */
  sync(force?: boolean): Promise<void>;
  close(): Promise<void>;
}
