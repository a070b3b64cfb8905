import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrations.ts';

/** A bare, unmigrated database on each backend under test, and how to drop it. */
const pgUrl = process.env.TEST_DATABASE_URL;
const BARE: { name: string; open: () => Promise<{ db: Kysely<unknown>; schema?: string; drop: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'gk-'));
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Sqlite(join(dir, 'm.db')) }) });
      return Promise.resolve({
        db,
        drop: async () => {
          await db.destroy();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  ...(pgUrl
    ? [
        {
          name: 'postgres',
          open: async () => {
            const schema = `m_${randomBytes(6).toString('hex')}`;
            const pool = new pg.Pool({ connectionString: pgUrl, max: 2, options: `-c search_path=${schema}` });
            await pool.query(`CREATE SCHEMA ${schema}`);
            const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
            return {
              db,
              schema,
              drop: async () => {
                await sql.raw(`DROP SCHEMA ${schema} CASCADE`).execute(db);
                await db.destroy();
              },
            };
          },
        },
      ]
    : []),
];

const at = '2026-11-20T00:00:00.000Z';

/** Inserts order o1 of platform p1 (the parties must exist), sealed columns as placeholders. */
async function insertOrder(db: Kysely<unknown>): Promise<void> {
  await sql`insert into orders (id, platform_id, platform_order_id, merchant_id, province, city, district, item_title, item_spec,
      quantity, price_cents, ordered_at, paid_at, name_ct, phone_ct, address_ct, key_version, phone_bidx, address_bidx, ref, created_at)
    values ('o1', 'p1', 'x1', 'p1', 'P', 'C', 'D', 'T', '[]', 1, 100, ${at}, ${at}, 'n', 'p', 'a', 1, 'b1', 'ab', 'r1', ${at})`.execute(db);
}

describe.each(BARE)('migrations on $name', ({ open }) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('006 rekeys releases by consumer, keeping every row and both uniqueness rules', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '005_release_binding');
    await sql`insert into parties (id, kind, name, org_id, created_at) values ('p1', 'platform', 'P', 'p1', ${at}), ('c1', 'courier', 'C', 'c1', ${at})`.execute(
      db,
    );
    await insertOrder(db);
    const row = {
      order_id: 'o1',
      party_id: 'c1',
      alias: '2000000000000000001',
      virtual_number: '17000000001',
      vn_expires_at: at,
      fp_version: 1,
      ledger_idx: 7,
      created_at: at,
      phone_bidx: 'b1',
    };
    await sql`insert into releases (order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at, phone_bidx)
      values (${row.order_id}, ${row.party_id}, ${row.alias}, ${row.virtual_number}, ${row.vn_expires_at}, ${row.fp_version}, ${row.ledger_idx}, ${row.created_at}, ${row.phone_bidx})`.execute(
      db,
    );
    await migrate(db, schema, '006_releases_by_consumer');
    const { rows } = await sql<typeof row>`select * from releases`.execute(db);
    expect(rows.map((r) => ({ ...r, ledger_idx: Number(r.ledger_idx as number | string) }))).toEqual([row]);
    const insert = (alias: string): Promise<unknown> =>
      sql`insert into releases (order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at, phone_bidx)
        values ('o1', 'c1', ${alias}, '17000000002', ${at}, 1, 8, ${at}, 'b1')`.execute(db);
    await expect(insert('2000000000000000002')).rejects.toThrow();
    await sql`insert into parties (id, kind, name, org_id, created_at) values ('c2', 'courier', 'C2', 'c2', ${at})`.execute(db);
    await expect(
      sql`insert into releases (order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at, phone_bidx)
        values ('o1', 'c2', ${row.alias}, '17000000003', ${at}, 1, 9, ${at}, 'b1')`.execute(db),
    ).rejects.toThrow();
  });
  it('007 keeps every release, moves the aliases given so far to release_aliases, and makes ledger indexes unique', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '006_releases_by_consumer');
    await sql`insert into parties (id, kind, name, org_id, created_at) values ('p1', 'platform', 'P', 'p1', ${at}), ('c1', 'courier', 'C', 'c1', ${at}),
      ('c2', 'courier', 'C2', 'c2', ${at})`.execute(db);
    await insertOrder(db);
    const insert = (party: string, alias: string, idx: number): Promise<unknown> =>
      sql`insert into releases (order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at, phone_bidx)
        values ('o1', ${party}, ${alias}, '17000000001', ${at}, 1, ${idx}, ${at}, 'b1')`.execute(db);
    await insert('c1', '2000000000000000001', 7);
    await migrate(db, schema);
    const { rows } = await sql<{ alias: string; ledger_idx: number | string }>`select alias, ledger_idx from release_aliases`.execute(db);
    expect(rows.map((r) => [r.alias, Number(r.ledger_idx)])).toEqual([['2000000000000000001', 7]]);
    const kept = await sql<{ party_id: string; alias: string }>`select party_id, alias from releases`.execute(db);
    expect(kept.rows).toEqual([{ party_id: 'c1', alias: '2000000000000000001' }]);
    // One release per ledger index, and still one per (consumer, order, party).
    await expect(insert('c2', '2000000000000000002', 7)).rejects.toThrow();
    await expect(insert('c1', '2000000000000000003', 8)).rejects.toThrow();
    await insert('c2', '2000000000000000002', 8);
  });
  it('008 keeps orders and parties: neither can be deleted or renumbered, other columns still change', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema);
    await sql`insert into parties (id, kind, name, org_id, created_at) values ('p1', 'platform', 'P', 'p1', ${at}), ('r1', 'regulator', 'R', 'r1', ${at})`.execute(
      db,
    );
    await insertOrder(db);
    await expect(sql`delete from orders where id = 'o1'`.execute(db)).rejects.toThrow(/never deleted/);
    await expect(sql`update orders set id = 'o2' where id = 'o1'`.execute(db)).rejects.toThrow(/never deleted/);
    await expect(sql`delete from parties where id = 'r1'`.execute(db)).rejects.toThrow(/never deleted/);
    await sql`update orders set key_version = 2 where id = 'o1'`.execute(db);
    await sql`update parties set name = 'R2' where id = 'r1'`.execute(db);
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from orders`.execute(db);
    expect(Number(rows[0]?.n)).toBe(1);
  });
  it('013 carries a store with contact records forward: a salt of its own, entries without consumer links, the old rows dropped', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '009_master_key_version');
    await sql`insert into parties (id, kind, name, org_id, created_at) values ('p1', 'platform', 'P', 'p1', ${at}), ('a1', 'cs_agent', 'A', 'p1', ${at})`.execute(
      db,
    );
    await insertOrder(db);
    await sql`insert into contacts (id, platform_id, agent_id, order_id, consumer_bidx, bucket, tag, payload, channel, number_used, reason, at, created_at)
      values ('ct1', 'p1', 'a1', 'o1', 'b1', 'abcde', 'f00', 'x', 'call', '95123', 'logistics', ${at}, ${at})`.execute(db);
    await migrate(db, schema);
    const salt = await sql<{ value: string }>`select value from settings where name = 'contact_salt'`.execute(db);
    expect(salt.rows[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    await expect(sql`select count(*) from contacts`.execute(db)).rejects.toThrow();
    await sql`insert into contact_entries (id, prefix, tag, payload, at) values ('ct2', ${2 ** 30 - 1}, 'f00', 'x', ${at})`.execute(db);
    const { rows } = await sql<{ prefix: number | string }>`select prefix from contact_entries`.execute(db);
    expect(rows.map((r) => Number(r.prefix))).toEqual([2 ** 30 - 1]);
  });
  it('016 finds the CS decrypts logged before it in the ledger, by order, and nothing else', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '015_canaries_per_platform');
    await sql`insert into parties (id, kind, name, org_id, created_at, tenant_id) values ('p1', 'platform', 'P', 'p1', ${at}, 'p1'),
      ('a1', 'cs_agent', 'A', 'p1', ${at}, 'p1'), ('c1', 'courier', 'C', 'c1', ${at}, 'p1')`.execute(db);
    await insertOrder(db);
    const leaf = (i: number, t: string, party: string, order: string): string =>
      JSON.stringify({ i, t, at, party, order, fields: ['name', 'phone', 'address'], reason: 'refund', note: '', kv: 1 });
    await sql`insert into ledger (idx, leaf, hash, party) values
      (0, ${leaf(0, 'decrypt', 'a1', 'r1')}, 'h0', 'a1'),
      (1, ${leaf(1, 'release', 'a1', 'r1')}, 'h1', 'a1'),
      (2, ${leaf(2, 'decrypt', 'a1', 'r-unknown')}, 'h2', 'a1'),
      (3, ${leaf(3, 'decrypt', 'c1', 'r1')}, 'h3', 'c1'),
      (4, ${leaf(4, 'decrypt', 'a1', 'r1')}, 'h4', 'a1')`.execute(db);
    await migrate(db, schema);
    const { rows } = await sql<{ ledger_idx: number | string; order_id: string; party_id: string }>`select ledger_idx, order_id, party_id
      from order_decrypts order by ledger_idx`.execute(db);
    expect(rows.map((r) => [Number(r.ledger_idx), r.order_id, r.party_id])).toEqual([
      [0, 'o1', 'a1'],
      [4, 'o1', 'a1'],
    ]);
  });

  it('026 finds each existing key’s key.create entry and keeps refused tries, under no key', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '025_row_tags_entry');
    await sql`insert into parties (id, kind, name, org_id, created_at, tenant_id) values ('p1', 'platform', 'P', 'p1', ${at}, 'p1'),
      ('c1', 'courier', 'C', 'c1', ${at}, 'p1')`.execute(db);
    await insertOrder(db);
    await sql`insert into api_keys (id, party_id, hash, scopes, label, created_at) values
      ('k1', 'c1', 'h', '[]', '', ${at}), ('k2', 'c1', 'h', '[]', '', ${at}), ('k3', 'p1', 'h', '[]', '', ${at})`.execute(db);
    const reg = (i: number, party: string, action: string, subject: string): string =>
      JSON.stringify({ i, t: 'registry', at, party, action, subject });
    await sql`insert into ledger (idx, leaf, hash, party) values
      (0, ${reg(0, 'ops', 'key.create', 'p1/k3')}, 'h0', 'ops'),
      (1, ${reg(1, 'p1', 'key.revoke', 'c1/k1')}, 'h1', 'p1'),
      (2, ${reg(2, 'p1', 'key.create', 'c1/k1')}, 'h2', 'p1'),
      (3, ${reg(3, 'p1', 'key.create', 'p1/k2')}, 'h3', 'p1')`.execute(db);
    await sql`insert into access_refusals (party_id, order_id, day, at, tries) values ('c1', 'o1', '2026-11-20', ${at}, 3)`.execute(db);
    await migrate(db, schema);
    const keys = await sql<{ id: string; ledger_idx: number | string | null }>`select id, ledger_idx from api_keys order by id`.execute(db);
    expect(keys.rows.map((r) => [r.id, r.ledger_idx === null ? null : Number(r.ledger_idx)])).toEqual([
      ['k1', 2],
      ['k2', null],
      ['k3', 0],
    ]);
    const refusals = await sql<{ key_id: string; tries: number | string }>`select key_id, tries from access_refusals`.execute(db);
    expect(refusals.rows.map((r) => [r.key_id, Number(r.tries)])).toEqual([['', 3]]);
  });

  it('028 keeps the ticket each earlier decrypt named, read from its leaf', async () => {
    const bare = await open();
    drop = bare.drop;
    const { db, schema } = bare;
    await migrate(db, schema, '027_tickets');
    await sql`insert into parties (id, kind, name, org_id, created_at, tenant_id) values ('p1', 'platform', 'P', 'p1', ${at}, 'p1'),
      ('a1', 'cs_agent', 'A', 'a1', ${at}, 'p1')`.execute(db);
    await insertOrder(db);
    const dec = (i: number, tk?: number): string =>
      JSON.stringify({
        i,
        t: 'decrypt',
        at,
        party: 'a1',
        order: 'r',
        fields: [],
        reason: 'refund',
        note: 'n',
        kv: 1,
        ...(tk === undefined ? {} : { tk }),
      });
    await sql`insert into ledger (idx, leaf, hash, party) values
      (0, ${JSON.stringify({ i: 0, t: 'ticket', at, party: 'p1', order: 'r', ticket: 'c' })}, 'h0', 'p1'),
      (1, ${dec(1, 0)}, 'h1', 'a1'), (2, ${dec(2)}, 'h2', 'a1')`.execute(db);
    await sql`insert into order_decrypts (ledger_idx, order_id, party_id) values (1, 'o1', 'a1'), (2, 'o1', 'a1')`.execute(db);
    await migrate(db, schema);
    const rows = await sql<{ ledger_idx: number | string; ticket_idx: number | string | null }>`select ledger_idx, ticket_idx
      from order_decrypts order by ledger_idx`.execute(db);
    expect(rows.rows.map((r) => [Number(r.ledger_idx), r.ticket_idx === null ? null : Number(r.ticket_idx)])).toEqual([
      [1, 0],
      [2, null],
    ]);
  });
});

describe.skipIf(!pgUrl)('migrations beside other stores in one PostgreSQL database', () => {
  it('bring a schema up to date while other schemas, with tables in them, are dropped all along', async () => {
    const admin = new pg.Pool({ connectionString: pgUrl, max: 4 });
    let migrating = true;
    // Four connections each create a schema with tables and drop it, again and again, while the migrations run.
    const churn = Array.from({ length: 4 }, async () => {
      while (migrating) {
        const other = `c_${randomBytes(6).toString('hex')}`;
        const tables = Array.from({ length: 20 }, (_, i) => `CREATE TABLE ${other}.t${String(i)} (a int, b text, c text);`).join('');
        await admin.query(`CREATE SCHEMA ${other}; ${tables}`);
        await admin.query(`DROP SCHEMA ${other} CASCADE`);
      }
    });
    try {
      for (let i = 0; i < 10; i++) {
        const { db, schema, drop } = await (BARE.find((b) => b.name === 'postgres') as (typeof BARE)[number]).open();
        try {
          await migrate(db, schema);
          expect((await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(db)).rows[0]?.n).toBeGreaterThan(10);
        } finally {
          await drop();
        }
      }
    } finally {
      migrating = false;
      await Promise.all(churn);
      await admin.end();
    }
  });
});
