/** Everything custody needs at run time: the store, the unwrapped keys and the ledger. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_ORIGIN, Ledger } from '../ledger/index.ts';
import { openStore, type Store, type StoreOptions } from '../store/index.ts';
import type { Custody } from './custody.ts';
import { Keyring } from './keyring.ts';
import { ledgerRowKey } from './refs.ts';
import { adoptClearNumbers } from './numbers.ts';
import { loadMasterKey, loadPendingKey, masterKeyCandidates, masterKeySource, promotePendingKey, warnOnStderr } from './master-key.ts';
import { defaultReleaseWorkers, ReleaseWorkers } from './release-workers.ts';

/** Options: where the store is, and the master key (default: environment or key file). */
export interface CustodyOptions extends StoreOptions {
  masterKey?: Buffer;
  /** Where the master key's variables are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  origin?: string;
  /** Worker threads for releases (default: GATEKEEPER_WORKERS, else one fewer than the cores). */
  workers?: number;
  /** Where warnings about the key file go (default: a line on stderr). */
  warn?: (message: string) => void;
}

/** Opens the store, unwraps the keyring (creating it on first use) and loads the ledger. */
export async function openCustody(opts: CustodyOptions = {}): Promise<Custody> {
  const store = await openStore(opts);
  const env = opts.env ?? process.env;
  let master: Buffer;
  try {
    master = opts.masterKey ?? (await resolveMasterKey(store, env, opts.warn ?? warnOnStderr));
  } catch (e) {
    await store.close();
    throw e;
  }
  const masters = opts.masterKey ? () => [] : () => masterKeyCandidates(env);
  return custodyOn(
    store,
    master,
    opts.origin,
    opts.workers ?? defaultReleaseWorkers(),
    masters,
    anchorFileFor(env, opts.masterKey !== undefined),
  );
}

/**
 * Where the ledger signer keeps its anchor: GATEKEEPER_LEDGER_ANCHOR, else `ledger.anchor` beside the master
 * key file (the same trust domain: whoever holds the key file holds the anchor). A key given in the
 * environment or by the caller has no file beside it, and then only GATEKEEPER_LEDGER_ANCHOR gives one.
 */
function anchorFileFor(env: NodeJS.ProcessEnv, keyGiven: boolean): string | undefined {
  if (env.GATEKEEPER_LEDGER_ANCHOR) return env.GATEKEEPER_LEDGER_ANCHOR;
  const source = masterKeySource(env);
  return keyGiven || source.kind !== 'file' ? undefined : join(dirname(source.file), 'ledger.anchor');
}

/**
 * The master key from the environment or the key file. A master-key rotation saves the new key beside the
 * file before it commits and renames it over the file after: when a crash came between the two, the saved
 * key is the one that opens the store, and the rename is finished here.
 */
async function resolveMasterKey(store: Store, env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<Buffer> {
  // A key file is created only for a store that holds no keys yet.
  const empty = !(await store.db.selectFrom('keyring').select('purpose').limit(1).executeTakeFirst());
  const source = masterKeySource(env);
  if (source.kind === 'file' && !empty && !existsSync(source.file)) {
    // The rename after a committed rotation may be all that is missing.
    const pending = loadPendingKey(source.file, warn);
    if (pending && (await Keyring.opens(store, pending))) {
      promotePendingKey(source.file);
      return pending;
    }
  }
  // A PostgreSQL URL may carry a password: name the database by its setting instead.
  const where = store.dialect === 'postgres' ? 'in DATABASE_URL' : `at ${store.location?.url ?? 'the default path'}`;
  const key = loadMasterKey(env, { create: empty, store: where, warn });
  if (source.kind !== 'file') return key;
  const pending = loadPendingKey(source.file, warn);
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
  masters: () => Buffer[] = () => [],
  anchorFile?: string,
): Promise<Custody> {
  try {
    const keyring = await Keyring.load(store, master, masters);
    const ledgerKeys = () => keyring.versions('ledger').map((v) => keyring.ledgerKeys(v));
    const ledger = await Ledger.load(
      store,
      ledgerKeys(),
      origin,
      async () => {
        await keyring.sync(store, true);
        // A signing key wrapped under a master key this process was not given: 503 naming the restart.
        keyring.key('ledger');
        return ledgerKeys();
      },
      anchorFile,
      ledgerRowKey(keyring),
    );
    await adoptClearNumbers(store, keyring, (idx, leaf) => ledger.holds(idx, leaf));
    const pool = new ReleaseWorkers(workers, store.location);
    // A process with release workers writes from its main thread at full speed: checkpoints go elsewhere.
    if (workers > 0) await store.offloadCheckpoints?.();
    return {
      store,
      keyring,
      ledger,
      workers: pool,
      sync: async (force = false) => {
        if (await keyring.sync(store, force)) await ledger.adopt(ledgerKeys());
      },
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
