/** Schema migrations, in code, in SQL that SQLite and PostgreSQL both accept (but where SQLite cannot drop a constraint). */
import { randomBytes } from 'node:crypto';
import { sql, Migrator, SqliteAdapter, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const m001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parties')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text', (c) => c.references('parties.id'))
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('erp_id', 'text', (c) => c.references('parties.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('parties_parent').on('parties').column('parent_id').execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('keyring')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('wrapped', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addPrimaryKeyConstraint('keyring_pk', ['purpose', 'version'])
      .execute();
    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('platform_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('platform_order_id', 'text', (c) => c.notNull())
      .addColumn('merchant_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('carrier_id', 'text', (c) => c.references('parties.id'))
      .addColumn('outlet_id', 'text', (c) => c.references('parties.id'))
      .addColumn('station_id', 'text', (c) => c.references('parties.id'))
      .addColumn('courier_id', 'text', (c) => c.references('parties.id'))
      .addColumn('erp_id', 'text', (c) => c.references('parties.id'))
      .addColumn('province', 'text', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('item_title', 'text', (c) => c.notNull())
      .addColumn('item_spec', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('price_cents', 'bigint', (c) => c.notNull())
      .addColumn('ordered_at', 'text', (c) => c.notNull())
      .addColumn('paid_at', 'text', (c) => c.notNull())
      .addColumn('name_ct', 'text', (c) => c.notNull())
      .addColumn('phone_ct', 'text', (c) => c.notNull())
      .addColumn('address_ct', 'text', (c) => c.notNull())
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('phone_bidx', 'text', (c) => c.notNull())
      .addColumn('address_bidx', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('orders_platform_order', ['platform_id', 'platform_order_id'])
      .execute();
    for (const col of [
      'merchant_id',
      'erp_id',
      'outlet_id',
      'station_id',
      'courier_id',
      'phone_bidx',
      'address_bidx',
      'ordered_at',
      'key_version',
    ] as const)
      await db.schema.createIndex(`orders_${col}`).on('orders').column(col).execute();
    await db.schema
      .createTable('releases')
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('alias', 'text', (c) => c.notNull().unique())
      .addColumn('virtual_number', 'text', (c) => c.notNull())
      .addColumn('vn_expires_at', 'text', (c) => c.notNull())
      .addColumn('fp_version', 'integer', (c) => c.notNull())
      .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('releases_pk', ['order_id', 'party_id'])
      .execute();
    await db.schema.createIndex('releases_party').on('releases').column('party_id').execute();
    await db.schema
      .createTable('ledger')
      .addColumn('idx', 'bigint', (c) => c.primaryKey())
      .addColumn('leaf', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('party', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_party').on('ledger').columns(['party', 'idx']).execute();
    await db.schema
      .createTable('checkpoints')
      .addColumn('size', 'bigint', (c) => c.primaryKey())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Verify (official channels, never-do policies, contact records, reputation) and cases (victim reports, evidence). */
const m002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('channels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('channels_kind_value', ['kind', 'value'])
      .execute();
    await db.schema.createIndex('channels_party').on('channels').column('party_id').execute();
    await db.schema
      .createTable('policies')
      .addColumn('party_id', 'text', (c) => c.primaryKey().references('parties.id'))
      .addColumn('never', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('platform_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('agent_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('order_id', 'text', (c) => c.references('orders.id'))
      .addColumn('consumer_bidx', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('number_used', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contacts_bucket').on('contacts').columns(['bucket', 'at']).execute();
    await db.schema.createIndex('contacts_consumer').on('contacts').column('consumer_bidx').execute();
    await db.schema
      .createTable('rep_subjects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('bidx', 'text', (c) => c.notNull())
      .addColumn('value_ct', 'text', (c) => c.notNull())
      .addColumn('display', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('score_at', 'text', (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('first_at', 'text', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('cleared_at', 'text')
      .addUniqueConstraint('rep_subjects_kind_bidx', ['kind', 'bidx'])
      .execute();
    await db.schema
      .createTable('rep_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull().references('rep_subjects.id'))
      .addColumn('reporter', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('weight', 'double precision', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('rep_reports_once', ['subject_id', 'reporter'])
      .execute();
    await db.schema
      .createTable('appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull().references('rep_subjects.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason_ct', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decision', 'text')
      .execute();
    await db.schema.createIndex('appeals_subject').on('appeals').column('subject_id').execute();
    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('dedup', 'text', (c) => c.notNull().unique())
      .addColumn('facts_ct', 'text', (c) => c.notNull())
      .addColumn('commitment', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.references('orders.id'))
      .addColumn('loss_cents', 'bigint', (c) => c.notNull())
      .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_created').on('cases').column('created_at').execute();
    await db.schema
      .createTable('case_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('evidence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('name_ct', 'text', (c) => c.notNull())
      .addColumn('blob_ct', 'text', (c) => c.notNull())
      .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('evidence_once', ['case_id', 'sha256'])
      .execute();
  },
};

/** Investigations run through the API, kept without personal data for the console's history and charts. */
const m003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('investigations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('by_party', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('records', 'integer', (c) => c.notNull())
      .addColumn('accused', 'text', (c) => c.notNull())
      .addColumn('suspects', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('investigations_created').on('investigations').column('created_at').execute();
  },
};

/** The canary registry: which orders are canaries, the blind index of their monitored number, and hits. */
const m004: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('canaries')
      .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
      .addColumn('phone_bidx', 'text', (c) => c.notNull().unique())
      .addColumn('planted_by', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('planted_at', 'text', (c) => c.notNull())
      .addColumn('hit_at', 'text')
      .addColumn('hit_source', 'text')
      .execute();
  },
};

/**
 * The consumer's phone index on each release, so "which virtual numbers are bound to these consumers" is
 * one index range per consumer. Through a join with orders PostgreSQL scanned every release for it.
 */
const m005: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('releases').addColumn('phone_bidx', 'text').execute();
    await sql`update releases set phone_bidx = (select o.phone_bidx from orders o where o.id = releases.order_id)`.execute(db);
    await db.schema.createIndex('releases_binding').on('releases').columns(['phone_bidx', 'vn_expires_at']).execute();
  },
};

/**
 * Releases keyed by (consumer phone index, order, party) instead of (order, party), and the binding index
 * dropped: one random-key index fewer on the table every release writes (a page written per row at scale),
 * and one index probe per consumer finds both the party's earlier views and every live virtual-number
 * binding. Lookups by order go through the order's phone index.
 */
const m006: Migration = {
  async up(db: Kysely<unknown>) {
    await rebuildReleases(db, { uniqueAlias: true, foreignKeys: true });
  },
};

/**
 * Rebuilds `releases` keyed by consumer (006), copying every row: with or without the unique alias (gone
 * from 007) and the foreign keys (gone from 008). 007 and 008 rebuild on SQLite, which cannot drop a
 * constraint.
 */
async function rebuildReleases(db: Kysely<unknown>, keep: { uniqueAlias: boolean; foreignKeys: boolean }): Promise<void> {
  const ref = (c: ColumnDefinitionBuilder, to: string): ColumnDefinitionBuilder =>
    keep.foreignKeys ? c.notNull().references(to) : c.notNull();
  let table = db.schema
    .createTable('releases_new')
    .addColumn('phone_bidx', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => ref(c, 'orders.id'))
    .addColumn('party_id', 'text', (c) => ref(c, 'parties.id'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('virtual_number', 'text', (c) => c.notNull())
    .addColumn('vn_expires_at', 'text', (c) => c.notNull())
    .addColumn('fp_version', 'integer', (c) => c.notNull())
    .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull());
  if (keep.uniqueAlias) table = table.addUniqueConstraint('releases_alias', ['alias']);
  await table.addPrimaryKeyConstraint('releases_by_consumer', ['phone_bidx', 'order_id', 'party_id']).execute();
  await sql`insert into releases_new (phone_bidx, order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at)
    select phone_bidx, order_id, party_id, alias, virtual_number, vn_expires_at, fp_version, ledger_idx, created_at from releases`.execute(
    db,
  );
  await db.schema.dropTable('releases').execute();
  await db.schema.alterTable('releases_new').renameTo('releases').execute();
  await db.schema.createIndex('releases_party').on('releases').column('party_id').execute();
}

/**
 * Aliases become FF1 of the release's ledger index (unique by construction, and turned back into the index
 * to find their release), so the random-key unique index on them goes: one random-key index fewer on the
 * table every release writes, about a third of the pages a release dirtied. Releases are found by ledger
 * index instead, an index that only grows at its end. Aliases given before this were drawn at random; they
 * move to `release_aliases`, read only for them. SQLite cannot drop a table constraint, so it rebuilds the table.
 */
const m007: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('release_aliases')
      .addColumn('alias', 'text', (c) => c.primaryKey())
      .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into release_aliases (alias, ledger_idx) select alias, ledger_idx from releases`.execute(db);
    if (db.getExecutor().adapter instanceof SqliteAdapter) await rebuildReleases(db, { uniqueAlias: false, foreignKeys: true });
    else await sql`alter table releases drop constraint releases_alias`.execute(db);
    await db.schema.createIndex('releases_ledger').unique().on('releases').column('ledger_idx').execute();
  },
};

/**
 * Releases lose their foreign keys; orders and parties become undeletable instead. A release row is an
 * access record, written only for an order the release path has just read, by a party that is signed in;
 * what the keys still guarded was that an order or party with releases (and ledger entries, which no key
 * can reach) could not be deleted or renumbered afterwards. Triggers now refuse that for every order and
 * party. On PostgreSQL the keys locked the order's row for every release written (about 10 of the 60 us a
 * view took inside the ledger transaction).
 */
const m008: Migration = {
  async up(db: Kysely<unknown>) {
    const why = 'are never deleted or renumbered: releases and the ledger refer to them';
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      await rebuildReleases(db, { uniqueAlias: false, foreignKeys: false });
      await db.schema.createIndex('releases_ledger').unique().on('releases').column('ledger_idx').execute();
      for (const t of ['orders', 'parties']) {
        await sql.raw(`create trigger ${t}_kept before delete on ${t} begin select raise(abort, '${t} ${why}'); end`).execute(db);
        await sql.raw(`create trigger ${t}_id_kept before update of id on ${t} begin select raise(abort, '${t} ${why}'); end`).execute(db);
      }
      return;
    }
    const fks = sql<{ name: string }>`select conname as name from pg_constraint where conrelid = 'releases'::regclass and contype = 'f'`;
    for (const r of (await fks.execute(db)).rows) await sql`alter table releases drop constraint ${sql.id(r.name)}`.execute(db);
    const refuse = `create function keep_rows() returns trigger language plpgsql as $$ begin raise exception '% ${why}', tg_table_name; end $$`;
    await sql.raw(refuse).execute(db);
    for (const t of ['orders', 'parties'])
      await sql.raw(`create trigger ${t}_kept before delete or update of id on ${t} for each row execute function keep_rows()`).execute(db);
  },
};

/**
 * The keyring records which master key wraps it (1 for the first, one more at each rotation), so that the
 * ledger's record of a master-key rotation can say from which to which.
 */
const m009: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('keyring')
      .addColumn('master_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};

/**
 * Tenancy: each party belongs to the tree of one platform (`tenant_id`), and an authority (regulator, police)
 * has an explicit jurisdiction. Existing parties are placed from what the store shows: accounts and children
 * follow their parent, merchants, ERPs and carriers the platform whose orders name them (the only platform
 * when there is one), and existing authorities keep the all-platform reach they had. A reputation report names
 * who vouches for it (`voucher`: the platform of a victim's matched order or of a signed-in party, or an
 * all-reach authority); subjects count their distinct vouchers (`vouched`), which existing reports lack.
 */
const m010: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('parties').addColumn('tenant_id', 'text').execute();
    await db.schema.alterTable('parties').addColumn('jurisdiction', 'text').execute();
    await db.schema.createIndex('parties_tenant').on('parties').column('tenant_id').execute();
    const parties = (await sql<{ id: string; kind: string; parent_id: string | null }>`select id, kind, parent_id from parties`.execute(db))
      .rows;
    const platforms = parties.filter((p) => p.kind === 'platform').map((p) => p.id);
    const named = new Map<string, string>();
    for (const col of ['merchant_id', 'carrier_id', 'erp_id']) {
      const rows = await sql<{ platform_id: string; party: string | null }>`
        select platform_id, ${sql.ref(col)} as party from orders where ${sql.ref(col)} is not null group by platform_id, ${sql.ref(col)}`.execute(
        db,
      );
      for (const r of rows.rows) if (r.party !== null && !named.has(r.party)) named.set(r.party, r.platform_id);
    }
    const byId = new Map(parties.map((p) => [p.id, p]));
    const tenant = new Map<string, string | null>();
    const tenantOf = (id: string): string | null => {
      if (tenant.has(id)) return tenant.get(id) ?? null;
      const p = byId.get(id);
      let t: string | null;
      if (!p || p.kind === 'regulator' || p.kind === 'police') t = null;
      else if (p.kind === 'platform') t = p.id;
      else if (p.parent_id !== null) t = tenantOf(p.parent_id);
      else t = named.get(p.id) ?? (platforms.length === 1 ? (platforms[0] ?? null) : null);
      tenant.set(id, t);
      return t;
    };
    await db.schema
      .alterTable('rep_subjects')
      .addColumn('vouched', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('rep_reports').addColumn('voucher', 'text').execute();
    for (const p of parties) {
      const authority = p.kind === 'regulator' || p.kind === 'police';
      await sql`update parties set tenant_id = ${tenantOf(p.id)}, jurisdiction = ${authority ? '["*"]' : null} where id = ${p.id}`.execute(
        db,
      );
    }
  },
};

/**
 * Contact lookups that hold: entries keep only the hash prefix, tag, payload and time (no consumer index, no
 * order, no agent), hashed under a salt of this deployment's own, made here. Entries filed before were hashed
 * under the salt every deployment shared, and their lookups cannot be rebuilt without the consumers' numbers:
 * they are dropped with the old table (the ledger keeps every contact's record). Contacts from then on answer.
 */
const m013: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into settings (name, value) values ('contact_salt', ${randomBytes(32).toString('hex')})`.execute(db);
    await db.schema
      .createTable('contact_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('prefix', 'integer', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    // Covers both the lookup (a prefix range, then the time) and the count of distinct pairs per bucket.
    await db.schema.createIndex('contact_entries_bucket').on('contact_entries').columns(['prefix', 'tag', 'at']).execute();
    await db.schema.dropTable('contacts').execute();
  },
};

/**
 * The deployment's false-accusation budget: the total E that all investigations together may spend, and how
 * many investigations have spent from it (the server numbers them; past investigations count as spent).
 */
const m011: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('trace_budget')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('total', 'double precision', (c) => c.notNull())
      .addColumn('spent', 'integer', (c) => c.notNull())
      .execute();
    await sql`insert into trace_budget (id, total, spent) select 'deployment', 1e-6, count(*) from investigations`.execute(db);
  },
};

/**
 * Investigations are numbered from the ledger (an `investigation` entry each): an index over exactly the
 * investigation leaves finds the latest one without reading the log. The predicate is the one
 * `INVESTIGATION_LEAF` (src/ledger/entry.ts) queries with; both databases use a partial index only for a
 * query that repeats its predicate.
 */
const m014: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index ledger_investigations on ledger (idx) where leaf like '{"i":%,"t":"investigation",%'`.execute(db);
  },
};

/**
 * A canary number is unique per planting platform, not per deployment: refusing a number because another
 * platform monitors it would tell the planter that it is someone's canary. SQLite cannot drop a unique
 * constraint in place, so the table is rebuilt on both stores.
 */
const m015: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('canaries_new')
      .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
      .addColumn('phone_bidx', 'text', (c) => c.notNull())
      .addColumn('planted_by', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('planted_at', 'text', (c) => c.notNull())
      .addColumn('hit_at', 'text')
      .addColumn('hit_source', 'text')
      .addUniqueConstraint('canaries_planter_phone', ['planted_by', 'phone_bidx'])
      .execute();
    await sql`insert into canaries_new (order_id, phone_bidx, planted_by, planted_at, hit_at, hit_source)
      select order_id, phone_bidx, planted_by, planted_at, hit_at, hit_source from canaries`.execute(db);
    await db.schema.dropTable('canaries').execute();
    await db.schema.alterTable('canaries_new').renameTo('canaries').execute();
    await db.schema.createIndex('canaries_phone').on('canaries').column('phone_bidx').execute();
  },
};

/**
 * Supervision (谁看过我的订单): consumers' access tokens (only a SHA-256 of each), the rows they flagged, and
 * each CS decrypt by order, so that an order's recipients are found without scanning the ledger. Decrypts
 * logged before are read back from their ledger entries (CS agents' entries only, through `ledger_party`).
 */
const m016: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('order_access_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('order_access_tokens_order').on('order_access_tokens').column('order_id').execute();
    await db.schema
      .createTable('order_flags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('platform_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('entry_idx', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('ledger_idx', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('order_flags_entry', ['order_id', 'entry_idx'])
      .execute();
    await db.schema.createIndex('order_flags_platform').on('order_flags').columns(['platform_id', 'created_at']).execute();
    await db.schema
      .createTable('order_decrypts')
      .addColumn('ledger_idx', 'bigint', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .execute();
    await db.schema.createIndex('order_decrypts_order').on('order_decrypts').column('order_id').execute();
    const logged = (
      await sql<{ idx: number | string; leaf: string; party: string }>`select l.idx, l.leaf, l.party from ledger l
        join parties p on p.id = l.party where p.kind = 'cs_agent' order by l.idx`.execute(db)
    ).rows
      .map((r) => ({ idx: Number(r.idx), party: r.party, entry: JSON.parse(r.leaf) as { t?: unknown; order?: unknown } }))
      .filter((r) => r.entry.t === 'decrypt' && typeof r.entry.order === 'string');
    const refs = [...new Set(logged.map((r) => r.entry.order as string))];
    const orderOf = new Map<string, string>();
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await sql<{
        id: string;
        ref: string;
      }>`select id, ref from orders where ref in (${sql.join(refs.slice(i, i + 500))})`.execute(db);
      for (const r of rows.rows) orderOf.set(r.ref, r.id);
    }
    for (const r of logged) {
      const order = orderOf.get(r.entry.order as string);
      if (order !== undefined)
        await sql`insert into order_decrypts (ledger_idx, order_id, party_id) values (${r.idx}, ${order}, ${r.party})`.execute(db);
    }
  },
};

/**
 * Accountability: views custody refused because the order exists but was never routed to the party (a courier
 * trying another's orders; no data was handed over, so nothing is in the ledger, but supervision counts the
 * attempts), and alert webhooks with their events (each event once per hook: its id is the idempotency key).
 */
const m017: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('access_refusals')
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_refusals_at').on('access_refusals').columns(['at', 'party_id']).execute();
    await db.schema
      .createTable('alert_hooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret_ct', 'text', (c) => c.notNull())
      .addColumn('threshold', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('alert_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hook_id', 'text', (c) => c.notNull().references('alert_hooks.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('last_status', 'integer')
      .execute();
    await db.schema.createIndex('alert_events_due').on('alert_events').columns(['delivered_at', 'next_at']).execute();
    await db.schema.createIndex('alert_events_hook').on('alert_events').columns(['hook_id', 'created_at']).execute();
  },
};

/**
 * Release rows drop their copy of the alias, which is FF1 of the release's ledger index and computed when
 * needed: someone reading the database could copy a party's aliases into a dump and have it accused.
 * Aliases given before that scheme stay (they are in `release_aliases` and cannot be computed).
 */
const m018: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`update releases set alias = '' where not exists
      (select 1 from release_aliases a where a.alias = releases.alias and a.ledger_idx = releases.ledger_idx)`.execute(db);
  },
};

/**
 * Canaries in the ledger: each canary's planting entry (its route behind a salted commitment) and its hit
 * entry are found by their kind, so a test's design and hits come from the log, not from editable rows; the
 * registry row keeps the index of its planting and hit entries and the fixed-key reference of its monitored
 * number, which the planting's route commits to.
 */
const m019: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('canaries').addColumn('plant_idx', 'integer').execute();
    await db.schema.alterTable('canaries').addColumn('hit_idx', 'integer').execute();
    await db.schema.alterTable('canaries').addColumn('phone_ref', 'text').execute();
    await db.schema.createIndex('canaries_phone_ref').on('canaries').column('phone_ref').execute();
    await sql`create index ledger_canaries on ledger (idx) where leaf like '{"i":%,"t":"canary",%'`.execute(db);
    await sql`create index ledger_canary_hits on ledger (idx) where leaf like '{"i":%,"t":"canary_hit",%'`.execute(db);
  },
};

/** Dumps give the payment time as often as the order time (付款时间): trace looks orders up by either minute. */
const m020: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('orders_paid_at').on('orders').column('paid_at').execute();
  },
};

/**
 * A refused view is kept once per party, order and day, with the number of tries: a party hammering orders never
 * routed to it adds a row per order it tries, not per request, so the table stays bounded by what is signal.
 */
const m021: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('access_refusals_new')
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_refusals_once_a_day', ['party_id', 'order_id', 'day'])
      .execute();
    await sql`insert into access_refusals_new (party_id, order_id, day, at, tries)
      select party_id, order_id, substr(at, 1, 10), min(at), count(*) from access_refusals
      group by party_id, order_id, substr(at, 1, 10)`.execute(db);
    await db.schema.dropTable('access_refusals').execute();
    await db.schema.alterTable('access_refusals_new').renameTo('access_refusals').execute();
    await db.schema.createIndex('access_refusals_at').on('access_refusals').columns(['at', 'party_id']).execute();
  },
};

/**
 * Ledger rows carry a tag under a key derived from the master key, so that a row someone wrote into the table
 * directly is not taken into the tree and signed. Rows written before stay untagged.
 */
const m022: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ledger').addColumn('tag', 'text').execute();
    // Loading looks for the last untagged row: without this, a fully tagged log is scanned to find none.
    await sql`create index ledger_untagged on ledger (idx) where tag is null`.execute(db);
  },
};

/** A consumer's flag keeps who issued the link it came through. */
const m023: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('order_flags').addColumn('issued_by', 'text').execute();
  },
};

/**
 * A release row's virtual number is sealed and found by a per-consumer blind index (custody/numbers.ts). Rows
 * written before keep the clear number with no index until a process holding the keys adopts them.
 */
const m024: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('releases').addColumn('vn_bidx', 'text').execute();
    await sql`create index releases_unsealed on releases (ledger_idx) where vn_bidx is null`.execute(db);
  },
};

/** The entry that records where row tags began (ledger/entry.ts `ROW_TAGS_LEAF`) is found without a scan. */
const m025: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index ledger_row_tags on ledger (idx) where leaf like '{"i":%,"t":"row_tags",%'`.execute(db);
  },
};

/**
 * Keys keep who minted them, and refused tries keep the key they came with, so that activity under a key a
 * manager minted for a subordinate is seen as such (release, decrypt and export leaves name the key).
 */
const m026: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('via_key', 'text').execute();
    await db.schema.createIndex('api_keys_via').on('api_keys').column('via_key').execute();
    await db.schema.alterTable('api_keys').addColumn('ledger_idx', 'integer').execute();
    // Keys minted before: each one's key.create entry is found once, so that its minter is read from the leaf.
    const keys = await sql<{ id: string; party_id: string }>`select id, party_id from api_keys`.execute(db);
    const wanted = new Map(keys.rows.map((k) => [`${k.party_id}/${k.id}`, k.id]));
    for (let last = -1; wanted.size > 0;) {
      // A bigint index comes back as a string where no type parser is set (migrations run on bare connections).
      const rows = await sql<{ idx: number | string; leaf: string }>`select idx, leaf from ledger
        where idx > ${last} and leaf like '{"i":%,"t":"registry",%' order by idx limit 5000`.execute(db);
      for (const r of rows.rows) {
        const e = JSON.parse(r.leaf) as { action?: unknown; subject?: unknown };
        const id = typeof e.subject === 'string' && e.action === 'key.create' ? wanted.get(e.subject) : undefined;
        if (id === undefined) continue;
        await sql`update api_keys set ledger_idx = ${Number(r.idx)} where id = ${id}`.execute(db);
        wanted.delete(e.subject as string);
      }
      if (rows.rows.length < 5000) break;
      last = Number((rows.rows[rows.rows.length - 1] as { idx: number | string }).idx);
    }
    await db.schema
      .createTable('access_refusals_new')
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('access_refusals_once_a_day_per_key', ['party_id', 'order_id', 'day', 'key_id'])
      .execute();
    await sql`insert into access_refusals_new (party_id, order_id, day, key_id, at, tries)
      select party_id, order_id, day, '', at, tries from access_refusals`.execute(db);
    await db.schema.dropTable('access_refusals').execute();
    await db.schema.alterTable('access_refusals_new').renameTo('access_refusals').execute();
    await db.schema.createIndex('access_refusals_at').on('access_refusals').columns(['at', 'party_id']).execute();
  },
};

/** CS tickets platforms register, so that a decrypt's ticket is one the platform's ticket system opened; wrong tickets tried are kept. */
const m027: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tickets')
      .addColumn('platform_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('ticket', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('agent_id', 'text', (c) => c.references('parties.id'))
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('ledger_idx', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('tickets_per_platform', ['platform_id', 'ticket'])
      .execute();
    await db.schema
      .createTable('ticket_refusals')
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('ticket_refusals_once_a_day', ['party_id', 'order_id', 'day'])
      .execute();
    await db.schema.createIndex('ticket_refusals_at').on('ticket_refusals').columns(['at', 'party_id']).execute();
  },
};

/** Decrypts keep the ticket they named, so that a ticket's uses are counted when the next decrypt names it. */
const m028: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('order_decrypts').addColumn('ticket_idx', 'bigint').execute();
    await db.schema.createIndex('order_decrypts_ticket').on('order_decrypts').column('ticket_idx').execute();
    // Decrypts that named a ticket before: the ticket is read from each one's leaf (only those leaves have `tk`).
    const named = await sql<{ idx: number | string; leaf: string }>`select d.ledger_idx as idx, l.leaf from order_decrypts d
      join ledger l on l.idx = d.ledger_idx where l.leaf like '%"tk":%'`.execute(db);
    for (const r of named.rows) {
      const tk = (JSON.parse(r.leaf) as { tk?: unknown }).tk;
      if (typeof tk === 'number') await sql`update order_decrypts set ticket_idx = ${tk} where ledger_idx = ${Number(r.idx)}`.execute(db);
    }
  },
};

/**
 * Each order's latest release or decrypt entry, for the next one to name. Orders start empty: entries written
 * before have no `prev`, and an order's first chained entry names none (null).
 */
const m029: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('order_chain')
      .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id'))
      .addColumn('head', 'bigint', (c) => c.notNull())
      .execute();
  },
};

const provider: MigrationProvider = {
  getMigrations: () =>
    Promise.resolve({
      '001_custody_and_ledger': m001,
      '002_verify_and_cases': m002,
      '003_investigations': m003,
      '004_canaries': m004,
      '005_release_binding': m005,
      '006_releases_by_consumer': m006,
      '007_aliases_by_cipher': m007,
      '008_orders_and_parties_kept': m008,
      '009_master_key_version': m009,
      '010_tenancy': m010,
      '011_trace_budget': m011,
      '013_contact_privacy': m013,
      '014_ledger_investigations': m014,
      '015_canaries_per_platform': m015,
      '016_supervision': m016,
      '017_accountability': m017,
      '018_releases_without_aliases': m018,
      '019_canaries_in_ledger': m019,
      '020_orders_by_paid_time': m020,
      '021_refusals_once_a_day': m021,
      '022_ledger_row_tags': m022,
      '023_flags_keep_issuer': m023,
      '024_sealed_virtual_numbers': m024,
      '025_row_tags_entry': m025,
      '026_activity_by_key': m026,
      '027_tickets': m027,
      '028_decrypts_by_ticket': m028,
      '029_order_chain': m029,
    }),
};

/**
 * Whether `error` is PostgreSQL losing a catalog object while the migrator listed every schema's tables: another
 * schema (invalid_schema_name, naming one that is not `schema`), or a relation or column of one being dropped
 * (undefined_table, undefined_column).
 */
function otherSchemaDropped(error: unknown, schema: string | undefined): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === '42P01' || code === '42703') return true;
  if (code !== '3F000') return false;
  const missing = /^schema "(.+)" does not exist$/.exec(error.message)?.[1];
  return missing !== undefined && missing !== schema;
}

/**
 * Brings the schema up to date (or to the `target` migration); throws with the failing migration's name. On PostgreSQL `schema` must name the
 * current schema: Kysely's migrator otherwise looks for its own tables in every schema it can see.
 */
export async function migrate(db: Kysely<unknown>, schema?: string, target?: string): Promise<void> {
  // Migrations are independent of their neighbours' order: a store that ran a later one first still takes an earlier one.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const run = () => (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  let { error, results } = await run();
  // Before it migrates, Kysely's migrator lists the tables of every schema in the database, and PostgreSQL fails
  // that listing when another schema is dropped meanwhile (stores side by side in one database, as the tests
  // keep them): nothing has run yet, so it runs again.
  for (let tries = 0; tries < 20 && results === undefined && otherSchemaDropped(error, schema); tries++) ({ error, results } = await run());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}
