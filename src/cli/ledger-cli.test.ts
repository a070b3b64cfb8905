import type { SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ledgerRowKey } from '../custody/index.ts';
import { Keyring } from '../custody/keyring.ts';
import { DEFAULT_KEY_FILE, loadMasterKey } from '../custody/master-key.ts';
import { ledgerRowTag } from '../ledger/index.ts';
import { openStore } from '../store/index.ts';
import { cliStore, gk } from './test-cli.ts';

/** Runs SQL on the store's SQLite file, as someone holding the database would. */
function tamper(dir: string, fn: (db: Sqlite.Database) => void): void {
  const db = new Sqlite(join(dir, 'data/gatekeeper.db'));
  fn(db);
  db.close();
}

/** Rewrites entry `idx`'s subject-free leaf field and recomputes its hash. */
function rehash(db: Sqlite.Database, idx: number): void {
  const { leaf } = db.prepare('select leaf from ledger where idx = ?').get(idx) as { leaf: string };
  const forged = leaf.replace(/"kv":1/, '"kv":2');
  expect(forged).not.toBe(leaf);
  const hash = createHash('sha256')
    .update(Buffer.concat([Buffer.from([0]), Buffer.from(forged)]))
    .digest('hex');
  db.prepare('update ledger set leaf = ?, hash = ? where idx = ?').run(forged, hash, idx);
}

/** Gives entry `idx` the row tag it needs, as someone holding the master key file could. */
async function retag(dir: string, idx: number): Promise<void> {
  const store = await openStore({ url: join(dir, 'data/gatekeeper.db') });
  try {
    const keyring = await Keyring.load(store, loadMasterKey({ GATEKEEPER_MASTER_KEY_FILE: join(dir, DEFAULT_KEY_FILE) }));
    const row = await store.db.selectFrom('ledger').select('hash').where('idx', '=', idx).executeTakeFirstOrThrow();
    await store.db
      .updateTable('ledger')
      .set({ tag: ledgerRowTag(ledgerRowKey(keyring), idx, row.hash) })
      .where('idx', '=', idx)
      .execute();
  } finally {
    await store.close();
  }
}

describe('the ledger and its witness from the command line', () => {
  it('a command signs what it appended; verify names a deleted entry, and nothing writes or serves until it is restored', () => {
    const dir = cliStore(4);
    expect(gk(dir, ['ledger', 'verify']).stdout).toMatch(
      /^ledger OK: 8 entries, root [0-9a-f]{64}, 3 checkpoints verified, 0 release rows/,
    );
    tamper(dir, (db) => db.prepare('delete from ledger where idx = 4').run());
    const v = gk(dir, ['ledger', 'verify']);
    expect(v.status).toBe(2);
    expect(v.stdout).toContain('  - entry 4 is missing (deleted or renumbered)\n');
    const cp = gk(dir, ['ledger', 'checkpoint']);
    expect(cp.status).toBe(1);
    expect(cp.stderr).toBe(
      "gatekeeper: ledger entry 4 is missing (the store goes from entry 3 to entry 5): it was deleted or renumbered. Nothing can be appended or signed until the log is whole again: run `gatekeeper ledger verify` for the full report, then restore entry 4 from a backup of the store or from an auditor's `ledger export`.\n",
    );
    const serve = gk(dir, ['serve'], undefined, { PORT: '0', HOST: '127.0.0.1' });
    expect(serve.status).toBe(1);
    expect(serve.stderr).toMatch(/^gatekeeper: the server cannot start: ledger entry 4 is missing/);
  });

  it('a bulk ingest signs as it goes, at least every GATEKEEPER_CHECKPOINT_ENTRIES entries', () => {
    const dir = cliStore(1);
    const db = (): Sqlite.Database => new Sqlite(join(dir, 'data/gatekeeper.db'), { readonly: true });
    const open = db();
    const merchant = (open.prepare("select id from parties where kind = 'merchant'").get() as { id: string }).id;
    const start = (open.prepare('select count(*) as n from ledger').get() as { n: number }).n;
    open.close();
    const orders = Array.from({ length: 450 }, (_, i) =>
      JSON.stringify({
        platform_order_id: `B${i}`,
        merchant_id: merchant,
        recipient: {
          name: '测试',
          phone: `1390000${String(i).padStart(4, '0')}`,
          address: { province: '广东省', city: '深圳市', district: '南山区', street: `科技园${i}号` },
        },
        item: { title: '测试商品', quantity: 1, price_cents: 100 + i },
        ordered_at: '2026-11-01T02:00:00Z',
        paid_at: '2026-11-01T02:01:00Z',
      }),
    );
    const r = gk(dir, ['orders', 'ingest'], orders.join('\n'), { GATEKEEPER_CHECKPOINT_ENTRIES: '100' });
    expect(r.status).toBe(0);
    const after = db();
    const end = (after.prepare('select count(*) as n from ledger').get() as { n: number }).n;
    const sizes = (after.prepare('select size from checkpoints where size > ? order by size').all(start) as { size: number }[]).map(
      (x) => x.size,
    );
    after.close();
    expect(end - start).toBe(450);
    // Batches of 200 commit one after the other: each past 100 unsigned entries is signed while the next runs.
    expect(sizes[sizes.length - 1]).toBe(end);
    expect(sizes.filter((s) => s < end).length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < sizes.length; i++) expect((sizes[i] as number) - (sizes[i - 1] as number)).toBeLessThanOrEqual(400);
    expect(gk(dir, ['ledger', 'verify']).status).toBe(0);
  });

  it('whoever holds only the database cannot have the signer sign a rewritten or cut history', () => {
    const dir = cliStore(3);
    tamper(dir, (db) => {
      db.prepare('delete from checkpoints').run();
      rehash(db, 4);
    });
    const rewritten = gk(dir, ['ledger', 'checkpoint']);
    expect(rewritten.status).toBe(1);
    expect(rewritten.stderr).toContain('no longer give the root this signer signed');
    const other = cliStore(3);
    tamper(other, (db) => {
      db.prepare('delete from checkpoints').run();
      db.prepare('delete from ledger where idx >= 4').run();
    });
    const cut = gk(other, ['parties', 'create', '--kind', 'merchant', '--name', '又一家']);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toContain('entries were deleted');
  });

  // About twenty commands, each a process of its own.
  it('a witness cosigns while the log grows, and refuses it once history was rewritten and re-signed', async () => {
    const dir = cliStore(3);
    const key = join(dir, 'witness.key');
    const state = join(dir, 'witness.json');
    const wkey = gk(dir, ['witness', 'init', '--name', 'witness.test/w1', '--key', key]).stdout.trim();
    writeFileSync(join(dir, 'log.vkey'), gk(dir, ['ledger', 'key']).stdout);
    const witness = (request: string): SpawnSyncReturns<string> =>
      gk(dir, ['witness', 'add-checkpoint', '--key', key, '--state', state, '--log-key', 'log.vkey'], request);
    const round = (): SpawnSyncReturns<string> => {
      const w = witness(gk(dir, ['ledger', 'witness-request', '--witness', wkey]).stdout);
      if (w.status === 0) expect(gk(dir, ['ledger', 'cosign', '--witness', wkey], w.stdout).status).toBe(0);
      return w;
    };
    expect(round().stderr).toBe('witness: cosigned gatekeeper.local/ledger at size 7\n');
    gk(dir, ['parties', 'create', '--kind', 'merchant', '--name', '第二家']);
    expect(round().stderr).toBe('witness: cosigned gatekeeper.local/ledger at size 8 (consistent with size 7)\n');
    const note = gk(dir, ['ledger', 'checkpoint']).stdout;
    expect(note).toMatch(/\n\n\u2014 gatekeeper\.local\/ledger \S+\n\u2014 witness\.test\/w1 \S+\n$/);
    expect(gk(dir, ['ledger', 'verify', '--witness', wkey]).stdout).toContain('witness witness.test/w1 cosigned up to size 8');
    writeFileSync(
      join(dir, 'saved.txt'),
      gk(dir, ['witness', 'checkpoint', '--state', state, '--origin', 'gatekeeper.local/ledger']).stdout,
    );

    // Whoever holds the database and the key file's folder: delete the checkpoints, rewrite entry 4 and tag it
    // anew with the master key, remove the signer's anchor beside the key (without that, the signer refuses),
    // and sign again.
    tamper(dir, (db) => {
      db.prepare('delete from checkpoints').run();
      rehash(db, 4);
    });
    await retag(dir, 4);
    const refusedHere = gk(dir, ['ledger', 'checkpoint']);
    expect(refusedHere.status).toBe(1);
    expect(refusedHere.stderr).toContain('no longer give the root this signer signed');
    rmSync(join(dir, 'data/ledger.anchor'));
    expect(gk(dir, ['ledger', 'checkpoint']).status).toBe(0);
    expect(gk(dir, ['ledger', 'verify']).status).toBe(0);
    const trusted = gk(dir, ['ledger', 'verify', '--trusted', 'saved.txt']);
    expect(trusted.status).toBe(2);
    expect(trusted.stdout).toContain(
      '  - your trusted checkpoint saved.txt (size 8) is not a prefix of this log: its history was rewritten and re-signed with the log key\n',
    );
    const withWitness = gk(dir, ['ledger', 'verify', '--witness', wkey]);
    expect(withWitness.status).toBe(2);
    expect(withWitness.stdout).toContain('no stored checkpoint carries a valid cosignature of witness witness.test/w1');
    // The log asks the witness again, from where the witness left it: the witness refuses.
    const refused = witness(gk(dir, ['ledger', 'witness-request', '--old', '8']).stdout);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^witness: 422 refused: the checkpoint of size 8 is not consistent with the checkpoint of size 8 this witness cosigned \(root \S+\): the log's history was rewritten\n$/,
    );
    const conflict = witness(gk(dir, ['ledger', 'witness-request']).stdout);
    expect([conflict.status, conflict.stderr]).toEqual([
      3,
      expect.stringContaining('last cosigned gatekeeper.local/ledger at size 8, not 0'),
    ]);
  });
});
