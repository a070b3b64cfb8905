/** Everything custody needs at run time: the store, the unwrapped keys and the ledger. */
import { DEFAULT_ORIGIN, Ledger } from '../ledger/index.ts';
import { openStore, type Store, type StoreOptions } from '../store/index.ts';
import { Keyring } from './keyring.ts';
import { loadMasterKey } from './master-key.ts';

/** An open custody context. */
export interface Custody {
  store: Store;
  keyring: Keyring;
  ledger: Ledger;
  close(): Promise<void>;
}

/** Options: where the store is, and the master key (default: environment or key file). */
export interface CustodyOptions extends StoreOptions {
  masterKey?: Buffer;
  origin?: string;
}

/** Opens the store, unwraps the keyring (creating it on first use) and loads the ledger. */
export async function openCustody(opts: CustodyOptions = {}): Promise<Custody> {
  const master = opts.masterKey ?? loadMasterKey();
  return custodyOn(await openStore(opts), master, opts.origin);
}

/** Builds a custody context on an already open store; closes the store if the keys do not open. */
export async function custodyOn(
  store: Store,
  master: Buffer,
  origin = process.env.GATEKEEPER_LOG_ORIGIN ?? DEFAULT_ORIGIN,
): Promise<Custody> {
  try {
    const keyring = await Keyring.load(store, master);
    const ledger = await Ledger.load(store, keyring.ledgerKeys(), origin);
    return { store, keyring, ledger, close: () => store.close() };
  } catch (e) {
    await store.close();
    throw e;
  }
}
