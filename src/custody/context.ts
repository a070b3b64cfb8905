/** Everything custody needs at run time: the store, the unwrapped keys and the ledger. */
import { DEFAULT_ORIGIN, Ledger } from '../ledger/index.ts';
import { openStore, type Store, type StoreOptions } from '../store/index.ts';
import { Keyring } from './keyring.ts';
import { loadMasterKey, loadPendingKey, masterKeySource, promotePendingKey } from './master-key.ts';
import { defaultReleaseWorkers, ReleaseWorkers } from './release-workers.ts';

/** An open custody context. */
export interface Custody {
  store: Store;
  keyring: Keyring;
  ledger: Ledger;
  /** Worker threads that prepare large releases (none unless asked for). */
  workers: ReleaseWorkers;
  close(): Promise<void>;
}

/** Options: where the store is, and the master key (default: environment or key file). */
export interface CustodyOptions extends StoreOptions {
  masterKey?: Buffer;
  /** Where the master key's variables are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  origin?: string;
  /** Worker threads for releases (default: GATEKEEPER_WORKERS, else one fewer than the cores). */
  workers?: number;
}

/** Opens the store, unwraps the keyring (creating it on first use) and loads the ledger. */
export async function openCustody(opts: CustodyOptions = {}): Promise<Custody> {
  const store = await openStore(opts);
  let master: Buffer;
  try {
    master = opts.masterKey ?? (await resolveMasterKey(store, opts.env ?? process.env));
  } catch (e) {
    await store.close();
    throw e;
  }
  return custodyOn(store, master, opts.origin, opts.workers ?? defaultReleaseWorkers());
}

/**
 * The master key from the environment or the key file. A master-key rotation saves the new key beside the
 * file before it commits and renames it over the file after: when a crash came between the two, the saved
 * key is the one that opens the store, and the rename is finished here.
 */
async function resolveMasterKey(store: Store, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const key = loadMasterKey(env);
  const source = masterKeySource(env);
  if (source.kind !== 'file') return key;
  const pending = loadPendingKey(source.file);
  if (!pending || (await Keyring.opens(store, key)) || !(await Keyring.opens(store, pending))) return key;
  promotePendingKey(source.file);
  return pending;
}

/** Builds a custody context on an already open store (no release workers unless asked); closes the store if the keys do not open. */
export async function custodyOn(
  store: Store,
  master: Buffer,
  origin = process.env.GATEKEEPER_LOG_ORIGIN ?? DEFAULT_ORIGIN,
  workers = 0,
): Promise<Custody> {
  try {
    const keyring = await Keyring.load(store, master);
    const ledger = await Ledger.load(
      store,
      keyring.versions('ledger').map((v) => keyring.ledgerKeys(v)),
      origin,
    );
    const pool = new ReleaseWorkers(workers, store.location);
    // A process with release workers writes from its main thread at full speed: checkpoints go elsewhere.
    if (workers > 0) await store.offloadCheckpoints?.();
    return {
      store,
      keyring,
      ledger,
      workers: pool,
      close: async () => {
        await pool.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
