/** What "who has seen my order" answers: browser-safe types, shared by the server and the consumer page. */
import type { SeenField } from './forms.ts';

/**
 * Why a party received the order's data: its role in the chain, or a CS decrypt's logged reason and whether it
 * named a ticket the order's platform registered for it (with that ticket's leaf, so the page checks it too).
 */
export type Why = { role: string } | { decrypt: string; ticket: boolean; ticket_entry?: TicketEntry };

/** The `ticket` leaf a decrypt named, with its inclusion proof in the same checkpoint as the rows. */
export interface TicketEntry {
  entry: number;
  /** The leaf bytes, base64. */
  leaf: string;
  proof: string[];
  /** When the platform opened the ticket (the leaf's time). */
  opened_at: string;
}

/** One receipt of the order's data by one party, with the ledger leaf that records it and its inclusion proof. */
export interface AccessRow {
  /** The leaf's index in the ledger; also how a flag names the row. */
  entry: number;
  party: { name: string; kind: string };
  action: 'view' | 'decrypt';
  fields: SeenField[];
  at: string;
  why: Why;
  /** The leaf bytes, base64. */
  leaf: string;
  /** RFC 9162 inclusion proof in the checkpoint's tree, base64 hashes. */
  proof: string[];
  /** True once the consumer flagged this row. */
  flagged: boolean;
}

/** The most chained records an answer carries; past them the page checks the latest ones only and says so. */
export const MAX_CHAIN = 500;

/** A chained record of the order that is not a row of its own (a party's repeated view), with its proof. */
export interface ChainLink {
  entry: number;
  /** The leaf bytes, base64. */
  leaf: string;
  proof: string[];
}

/**
 * The order's chain of records (custody/order-chain.ts): its latest record, and the records between the rows
 * that following it back to the first needs. `head` is null while no record of the order is chained;
 * `truncated` when the chain holds more than MAX_CHAIN records and only the latest are carried.
 */
export interface OrderChain {
  head: number | null;
  links: ChainLink[];
  truncated: boolean;
}

/** The whole answer for one order. */
export interface OrderAccess {
  order: { platform: string; platform_order_id: string; ordered_at: string; item: string };
  rows: AccessRow[];
  chain: OrderChain;
  /** The signed checkpoint (C2SP signed note) every proof leads to. */
  checkpoint: string;
  /** The log's verifier key (C2SP note verifier key). */
  verifier_key: string;
  /** Every handover of the log's signing key, oldest first, so a device that pinned an earlier key can follow them. */
  handovers: KeyHandover[];
  /** When the device said which tree it saw last (and it is no larger): the RFC 9162 consistency proof from it to the checkpoint's. */
  consistency?: { from: number; proof: string[] };
}

/**
 * One handover of the log's signing key: the `key_rotation` entry naming the new verifier key, and the first
 * checkpoint after it, which both the old and the new key signed, with the entry's inclusion proof in it.
 */
export interface KeyHandover {
  entry: number;
  /** The leaf bytes, base64. */
  leaf: string;
  proof: string[];
  checkpoint: string;
  vkey: string;
}
