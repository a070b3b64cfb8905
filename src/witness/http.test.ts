import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, leafHash, parseCosignerKey, parseVerifierKey, verifyLedger, type LedgerEntry } from '../ledger/index.ts';
import type { Store } from '../store/index.ts';
import { BACKENDS } from '../store/test-stores.ts';
import { requestCosignature, witnessServer } from './http.ts';
import { createWitnessKey, loadWitnessKey } from './state.ts';

const keys = generateKeyPairSync('ed25519');
const entry = (i: number): LedgerEntry => ({ t: 'registry', at: '2026-12-01T00:00:00.000Z', party: 'p', action: 'test', subject: `s${i}` });

describe.each(BACKENDS)('a witness over HTTP (tlog-witness add-checkpoint) for a log on $name', ({ open }) => {
  let store: Store;
  let server: Server;
  afterEach(async () => {
    server.close();
    await store.close();
  });

  it('cosigns as the log grows, carries on from a size it answers with 409, and refuses a rewritten log', async () => {
    store = await open();
    const ledger = await Ledger.load(store, keys);
    const add = (from: number, n: number): Promise<void> =>
      ledger.write((_t, log) => {
        for (let i = from; i < from + n; i++) log.add(entry(i));
        return Promise.resolve();
      });
    await add(0, 5);
    const dir = mkdtempSync(join(tmpdir(), 'gk-witness-http-'));
    const wkey = createWitnessKey(join(dir, 'w.key'), 'witness.test/http');
    const witness = parseCosignerKey(wkey);
    server = witnessServer({
      signer: loadWitnessKey(join(dir, 'w.key')),
      stateFile: join(dir, 'state.json'),
      logs: new Map([[ledger.origin, [parseVerifierKey(ledger.verifierKey())]]]),
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await requestCosignature(ledger, witness, url)).toBe(5);
    await add(5, 4);
    expect(await requestCosignature(ledger, witness, url)).toBe(9);
    // The store lost its record of the cosignature at 9: the witness says where it is, and the log carries on.
    await sql`delete from checkpoints where size = 9`.execute(store.db);
    await add(9, 2);
    expect(await requestCosignature(ledger, witness, url)).toBe(11);
    expect(await verifyLedger(store, ledger.verifierKey(), { witnesses: [wkey] })).toMatchObject({ ok: true, witnesses: [{ size: 11 }] });

    const wrong = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: 'old 3\n\nnot a checkpoint\n' });
    expect([wrong.status, await wrong.text()]).toEqual([400, 'the checkpoint is not a signed note\n']);
    const stale = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: `old 0\n\n${await ledger.checkpoint()}` });
    expect([stale.status, stale.headers.get('content-type'), await stale.text()]).toEqual([409, 'text/x.tlog.size', '11\n']);

    // Rewrite entry 2 and re-sign: the witness refuses, and the log is told why.
    await sql`delete from checkpoints`.execute(store.db);
    await sql`update ledger set leaf = replace(leaf, 's2', 'sX') where idx = 2`.execute(store.db);
    const row = await store.db.selectFrom('ledger').select('leaf').where('idx', '=', 2).executeTakeFirstOrThrow();
    await store.db
      .updateTable('ledger')
      .set({ hash: leafHash(Buffer.from(row.leaf)).toString('hex') })
      .where('idx', '=', 2)
      .execute();
    const forged = await Ledger.load(store, keys);
    await forged.write((_t, log) => Promise.resolve(log.add(entry(11))));
    await expect(requestCosignature(forged, witness, url)).rejects.toThrow(
      /^witness witness\.test\/http answered 422: refused: the checkpoint of size 12 is not consistent with the checkpoint of size 11 this witness cosigned .*: the log's history was rewritten$/,
    );
  });
});
