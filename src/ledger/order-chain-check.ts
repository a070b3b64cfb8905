/**
 * `ledger verify`'s check of each order's chain (custody/order-chain.ts): every chained release or decrypt entry
 * must name the order's previous chained entry (null for its first), no release or decrypt may follow the log's
 * first chained entry without naming one, each chained order's stored head must be its latest chained entry, and
 * each decrypt must keep its `order_decrypts` row. An entry that skips one was
 * written to leave a record out of what the order's consumer is shown.
 */
import type { Store } from '../store/index.ts';
import type { LedgerEntry } from './entry.ts';
import type { LedgerProblem } from './problem.ts';

/** Follows every order's chain as verify streams the log. */
export class ChainCheck {
  /** The latest chained entry of each order, by the order's keyed reference. */
  private readonly last = new Map<string, number>();
  /** The first chained entry of the log: from there on every release and decrypt is chained. */
  private began: number | null = null;
  /** Every decrypt entry: each must keep its `order_decrypts` row, which finds it past a long chain's shown part. */
  private readonly decrypts = new Map<number, { party: string; order: string }>();

  constructor(private readonly report: (p: LedgerProblem) => void) {}

  /** Checks a release or decrypt entry against its order's chain so far. */
  see(idx: number, e: LedgerEntry): void {
    if (e.t !== 'release' && e.t !== 'decrypt') return;
    if (e.t === 'decrypt') this.decrypts.set(idx, { party: e.party, order: e.order });
    const before = this.last.get(e.order);
    if (e.prev === undefined) {
      if (before !== undefined || this.began !== null)
        this.report({
          kind: 'chain',
          index: idx,
          message: `entry ${idx} records an access to an order but names no previous record, though records are chained from entry ${String(this.began)} on`,
        });
      return;
    }
    this.began ??= idx;
    if (e.prev !== (before ?? null))
      this.report({
        kind: 'chain',
        index: idx,
        message: `entry ${idx} names ${e.prev === null ? 'no previous record' : `entry ${e.prev}`} as its order's previous record, but the order's previous chained record is ${before === undefined ? 'none' : `entry ${before}`} (a record left out of the order's chain)`,
      });
    this.last.set(e.order, idx);
  }

  /**
   * Holds each stored chain head to the order's latest chained entry, and finds chained orders without one.
   * With `refOf` (the keyed reference, from the keys) the orders' stored references are not trusted: each is
   * compared with the one computed, since a stored one rewritten would hand an order's records to another.
   */
  async finish(store: Store, refOf?: (orderId: string) => string): Promise<void> {
    if (refOf) await this.checkRefs(store, refOf);
    const ref = (r: { order_id: string; ref: string }): string => (refOf ? refOf(r.order_id) : r.ref);
    const headless = new Set(this.last.keys());
    const heads = pages(
      (after) =>
        store.db
          .selectFrom('order_chain as c')
          .innerJoin('orders as o', 'o.id', 'c.order_id')
          .select(['c.order_id', 'c.head', 'o.ref'])
          .where('c.order_id', '>', after)
          .orderBy('c.order_id')
          .limit(PAGE)
          .execute(),
      (r) => r.order_id,
    );
    for await (const r of heads) {
      headless.delete(ref(r));
      const last = this.last.get(ref(r));
      if (last !== r.head)
        this.report({
          kind: 'chain',
          index: r.head,
          message: `order ${r.order_id}'s stored chain head is entry ${r.head}, but its latest chained record is ${last === undefined ? 'none' : `entry ${last}`} (edited: the next record would leave some out)`,
        });
    }
    const idxs = [...this.decrypts.keys()];
    for (let i = 0; i < idxs.length; i += 500) {
      const rows = await store.db
        .selectFrom('order_decrypts as d')
        .innerJoin('orders as o', 'o.id', 'd.order_id')
        .select(['d.ledger_idx', 'd.party_id', 'd.order_id', 'o.ref'])
        .where('d.ledger_idx', 'in', idxs.slice(i, i + 500))
        .execute();
      const found = new Map(rows.map((r) => [r.ledger_idx, r]));
      for (const idx of idxs.slice(i, i + 500)) {
        const d = this.decrypts.get(idx) as { party: string; order: string };
        const r = found.get(idx);
        if (r?.party_id !== d.party || ref(r) !== d.order)
          this.report({
            kind: 'chain',
            index: idx,
            message: `decrypt entry ${idx} has ${r === undefined ? 'no order_decrypts row (deleted: the consumer page may not find it)' : 'an order_decrypts row of another party or order (edited)'}`,
          });
      }
    }
    for (const r of headless)
      this.report({
        kind: 'chain',
        index: this.last.get(r) as number,
        message: `entry ${String(this.last.get(r))} is the latest chained record of an order that has no stored chain head (deleted: the next record would start a new chain)`,
      });
  }

  /** Names every order whose stored reference is not its keyed one. */
  private async checkRefs(store: Store, refOf: (orderId: string) => string): Promise<void> {
    const orders = pages(
      (after) => store.db.selectFrom('orders').select(['id', 'ref']).where('id', '>', after).orderBy('id').limit(PAGE).execute(),
      (r) => r.id,
    );
    for await (const r of orders) {
      const own = refOf(r.id);
      if (r.ref === own) continue;
      const last = this.last.get(own);
      this.report({
        kind: 'chain',
        ...(last === undefined ? {} : { index: last }),
        message: `order ${r.id}'s stored ledger reference is not its own (edited: another order's records would be shown as its, and its own as another's)`,
      });
    }
  }
}

/** Rows read a table at a time: a page holds at most this many. */
const PAGE = 5000;

/** Every row `read` gives, page by page, each page read after the key of the last row of the one before. */
async function* pages<R>(read: (after: string) => Promise<R[]>, key: (r: R) => string): AsyncGenerator<R> {
  for (let after = ''; ;) {
    const rows = await read(after);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || last === undefined) return;
    after = key(last);
  }
}
