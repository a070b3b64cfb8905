/** Data keys by purpose and version, wrapped under the master key in the store. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Store } from '../store/index.ts';
import { MasterKeyError } from './master-key.ts';
import { open, seal, SealError } from './seal.ts';

/** What each key is for. `ledger` holds an Ed25519 private key (PKCS#8 DER); the others 32 random bytes. */
export const PURPOSES = ['data', 'index', 'fingerprint', 'ledger'] as const;
export type Purpose = (typeof PURPOSES)[number];

const aad = (purpose: string, version: number): string => `keyring|${purpose}|${version}`;

/** The unwrapped keys. Versions only grow; the highest unretired one is current. */
export class Keyring {
  private constructor(
    private readonly master: Buffer,
    private readonly keys: Map<string, Buffer>,
    private readonly current: Map<Purpose, number>,
  ) {}

  /** Loads (creating on first use) every purpose's keys; a wrong master key throws MasterKeyError. */
  static async load(store: Store, master: Buffer): Promise<Keyring> {
    const rows = await store.db.selectFrom('keyring').selectAll().orderBy('version').execute();
    const keys = new Map<string, Buffer>();
    const current = new Map<Purpose, number>();
    for (const r of rows) {
      try {
        keys.set(`${r.purpose}:${r.version}`, open(master, r.wrapped, aad(r.purpose, r.version)));
      } catch (e) {
        if (e instanceof SealError)
          throw new MasterKeyError('the master key does not open this store (check GATEKEEPER_MASTER_KEY or the key file)');
        throw e;
      }
      if (r.retired_at === null) current.set(r.purpose as Purpose, r.version);
    }
    const ring = new Keyring(master, keys, current);
    for (const p of PURPOSES) if (!current.has(p)) await ring.addVersion(store.db, p);
    return ring;
  }

  /** Adds a fresh key version for `purpose` through `db` (the store's, or a transaction's) and makes it current. */
  async addVersion(db: Kysely<Database>, purpose: Purpose): Promise<number> {
    const version = (this.current.get(purpose) ?? 0) + 1;
    const key = purpose === 'ledger' ? generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }) : randomBytes(32);
    await db
      .insertInto('keyring')
      .values({
        purpose,
        version,
        wrapped: seal(this.master, key, aad(purpose, version)),
        created_at: new Date().toISOString(),
        retired_at: null,
      })
      .execute();
    this.keys.set(`${purpose}:${version}`, key);
    this.current.set(purpose, version);
    return version;
  }

  /** Marks every version of `purpose` below the current one retired, through `db`. */
  async retireOld(db: Kysely<Database>, purpose: Purpose): Promise<void> {
    await db
      .updateTable('keyring')
      .set({ retired_at: new Date().toISOString() })
      .where('purpose', '=', purpose)
      .where('version', '<', this.version(purpose))
      .where('retired_at', 'is', null)
      .execute();
  }

  /** The current version for a purpose. */
  version(purpose: Purpose): number {
    const v = this.current.get(purpose);
    if (v === undefined) throw new Error(`no ${purpose} key`);
    return v;
  }

  /** The key of a purpose at a version (default current). */
  key(purpose: Purpose, version = this.version(purpose)): Buffer {
    const k = this.keys.get(`${purpose}:${version}`);
    if (!k) throw new Error(`no ${purpose} key version ${version}`);
    return k;
  }

  /** Every version of a purpose this keyring holds, retired ones included, oldest first. */
  versions(purpose: Purpose): number[] {
    const prefix = `${purpose}:`;
    return [...this.keys.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => Number(k.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  /** The ledger's Ed25519 signing key pair at a version (default current). */
  ledgerKeys(version = this.version('ledger')): { privateKey: KeyObject; publicKey: KeyObject } {
    const privateKey = createPrivateKey({ key: this.key('ledger', version), format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}
