/**
 * When a registered CS ticket covers a decrypt, as rules on ledger leaves: accountability and the consumer page
 * (on the server and in the browser) apply these, so that what each says about a ticket agrees; custody
 * enforces the same limits on its tables when a decrypt names a ticket (tickets.ts).
 */

/** How long after it was opened a ticket covers a decrypt. */
export const TICKET_DAYS = 30;

/** How many decrypts one ticket covers: an agent may open an order's address a few times while working one ticket. */
export const TICKET_DECRYPTS = 5;

/** What a cover check reads from a `ticket` leaf. */
export interface TicketLeafFields {
  t: string;
  i: number;
  at: string;
  order: string;
  agent?: string;
}

/** What a cover check reads from a `decrypt` leaf. */
export interface DecryptLeafFields {
  i: number;
  tk?: number;
  at: string;
  order: string;
  party: string;
}

/**
 * Whether a `ticket` leaf covers a decrypt leaf that names it: the earlier entry it names, for the same order, assigned
 * to the decrypting agent or to none, opened at most TICKET_DAYS before the decrypt. Who opened the ticket (the
 * order's platform) is for the caller to check, which knows the platform.
 */
export function ticketCovers(ticket: TicketLeafFields, decrypt: DecryptLeafFields): boolean {
  if (ticket.t !== 'ticket' || decrypt.tk === undefined || ticket.i !== decrypt.tk || ticket.i >= decrypt.i) return false;
  if (ticket.order !== decrypt.order) return false;
  if (ticket.agent !== undefined && ticket.agent !== decrypt.party) return false;
  const opened = Date.parse(ticket.at);
  const at = Date.parse(decrypt.at);
  return opened <= at && at - opened <= TICKET_DAYS * 86_400_000;
}

/** A decrypt leaf that names a ticket: its index, the ticket's entry and the decrypting agent. */
export interface TicketUse {
  i: number;
  tk: number;
  party: string;
}

/**
 * The decrypts a ticket may cover once its limits apply, in ledger order: a ticket is the first agent's to
 * decrypt under it, for at most TICKET_DECRYPTS decrypts. Pass every decrypt that names a ticket; whether the
 * ticket covers each one (`ticketCovers`) is checked apart.
 */
export function withinTicketLimits(uses: readonly TicketUse[]): Set<number> {
  const held = new Map<number, { agent: string; n: number }>();
  const out = new Set<number>();
  for (const u of [...uses].sort((a, b) => a.i - b.i)) {
    const h = held.get(u.tk) ?? { agent: u.party, n: 0 };
    held.set(u.tk, h);
    if (h.agent !== u.party || h.n >= TICKET_DECRYPTS) continue;
    h.n++;
    out.add(u.i);
  }
  return out;
}
