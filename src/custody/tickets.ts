/**
 * CS tickets (工单): a platform's ticket system registers each ticket it opens for one of its orders, and a CS
 * agent's decrypt that names the ticket carries the ticket's ledger entry (`tk`). Supervision counts a decrypt
 * as ticketed only through such an entry, so a note typed into the decrypt form is not a ticket. A ticket is
 * one agent's: the one it was assigned to, or else the first that decrypts under it; and it covers at most
 * TICKET_DECRYPTS decrypts, so one ticket is not cover for a team or for a month of lookups.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/index.ts';
import { commitTo, entrySalt } from './commitments.ts';
import type { Custody } from './custody.ts';
import { InputError } from './errors.ts';
import { getParty } from './parties.ts';
import type { Party } from './party.ts';
import { TICKET_DAYS, TICKET_DECRYPTS } from './ticket-cover.ts';

/** A ticket id as platforms' systems write them: letters, digits and a few separators. */
export const ticketIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.#:-]*$/, 'letters, digits and _ . # : - only');

/** A ticket to register: the order (internal id or the platform's order number), its id, and optionally its agent. */
export const ticketInputSchema = z.strictObject({
  order: z.string().min(1).max(64),
  ticket: ticketIdSchema,
  agent_id: z.string().max(40).optional(),
});

/** A registered ticket. */
export interface Ticket {
  ticket: string;
  order_id: string;
  agent_id: string | null;
  opened_at: string;
  entry: number;
  /** False when the same ticket was registered before (the answer is the first registration). */
  created: boolean;
}

/**
 * Registers a ticket the platform opened for one of its own orders (another platform's order reads as absent),
 * optionally assigned to one of its CS agents. The same ticket registered again for the same order and agent
 * answers the first registration; for another order or agent it is refused.
 */
export async function openTicket(c: Custody, platform: Party, input: unknown): Promise<Ticket> {
  if (platform.kind !== 'platform') throw new InputError([{ field: 'platform', message: 'only a platform registers tickets' }]);
  const parsed = ticketInputSchema.safeParse(input);
  if (!parsed.success) throw InputError.fromZod(parsed.error);
  const { order: ref, ticket, agent_id } = parsed.data;
  const order = await c.store.db
    .selectFrom('orders')
    .select(['id', 'ref'])
    .where('platform_id', '=', platform.id)
    .where((eb) => eb.or([eb('id', '=', ref), eb('platform_order_id', '=', ref)]))
    .executeTakeFirst();
  if (!order) throw new InputError([{ field: 'order', message: 'no such order of this platform' }]);
  if (agent_id !== undefined) {
    const agent = await getParty(c, agent_id);
    if (!agent || agent.kind !== 'cs_agent' || agent.parentId !== platform.id)
      throw new InputError([{ field: 'agent_id', message: 'no such CS agent of this platform' }]);
  }
  return c.ledger.write(async (trx, log) => {
    const held = await trx
      .selectFrom('tickets')
      .selectAll()
      .where('platform_id', '=', platform.id)
      .where('ticket', '=', ticket)
      .executeTakeFirst();
    if (held) {
      if (held.order_id !== order.id || held.agent_id !== (agent_id ?? null))
        throw new InputError([{ field: 'ticket', message: 'this ticket is registered for another order or agent' }]);
      return {
        ticket,
        order_id: held.order_id,
        agent_id: held.agent_id,
        opened_at: held.opened_at,
        entry: held.ledger_idx,
        created: false,
      };
    }
    const at = new Date().toISOString();
    // The ticket id is committed to with the entry's salt: a guessable ticket number is not readable from the leaf.
    const idx = log.add({
      t: 'ticket',
      at,
      party: platform.id,
      order: order.ref,
      ticket: commitTo(entrySalt(c.keyring, log.next), ticket),
      ...(agent_id === undefined ? {} : { agent: agent_id }),
    });
    await trx
      .insertInto('tickets')
      .values({ platform_id: platform.id, ticket, order_id: order.id, agent_id: agent_id ?? null, opened_at: at, ledger_idx: idx })
      .execute();
    return { ticket, order_id: order.id, agent_id: agent_id ?? null, opened_at: at, entry: idx, created: true };
  });
}

/**
 * The ledger entry of the ticket a CS agent's decrypt names: a ticket of the agent's platform, for this order,
 * assigned to this agent or to none, opened at most TICKET_DAYS before. Anything else is refused naming the
 * field, and the try is kept for supervision.
 */
export async function ticketFor(c: Custody, agent: Party, orderId: string, ticket: string, now: Date): Promise<number> {
  const row = await c.store.db
    .selectFrom('tickets')
    .selectAll()
    .where('platform_id', '=', agent.parentId ?? '')
    .where('ticket', '=', ticket)
    .executeTakeFirst();
  const opened = row ? Date.parse(row.opened_at) : NaN;
  if (
    !row ||
    row.order_id !== orderId ||
    (row.agent_id !== null && row.agent_id !== agent.id) ||
    !(opened <= now.getTime() && now.getTime() - opened <= TICKET_DAYS * 86_400_000)
  ) {
    await keepRefusal(c, agent, orderId, now);
    throw new InputError([
      { field: 'ticket', message: `no open ticket with this id for this order and agent (tickets cover ${TICKET_DAYS} days)` },
    ]);
  }
  return row.ledger_idx;
}

/** Keeps a refused ticket try, once per agent, order and day with a count, like refused views: guessing ticket ids is a lead. */
async function keepRefusal(c: Custody, agent: Party, orderId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await c.store.db
    .insertInto('ticket_refusals')
    .values({ party_id: agent.id, order_id: orderId, day: at.slice(0, 10), at, tries: 1 })
    .onConflict((oc) => oc.columns(['party_id', 'order_id', 'day']).doUpdateSet((eb) => ({ tries: eb('ticket_refusals.tries', '+', 1) })))
    .execute();
}

/**
 * Inside the decrypt's ledger write (so that two decrypts at once cannot both take a ticket's last use): refuses
 * a ticket another agent already decrypted under, or one that has covered TICKET_DECRYPTS decrypts.
 */
export async function holdTicket(trx: Transaction<Database>, tk: number, agentId: string): Promise<void> {
  const used = await trx.selectFrom('order_decrypts').select('party_id').where('ticket_idx', '=', tk).execute();
  if (used.some((u) => u.party_id !== agentId))
    throw new InputError([{ field: 'ticket', message: 'another agent decrypted under this ticket: a ticket is one agent’s' }]);
  if (used.length >= TICKET_DECRYPTS)
    throw new InputError([
      { field: 'ticket', message: `this ticket has covered its ${TICKET_DECRYPTS} decrypts: the platform registers a new one` },
    ]);
}
