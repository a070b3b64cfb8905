/** Test helpers for supervision: a second shop beside the test world's (the peers' baseline), and decrypts under registered tickets. */
import { createParties, decryptOrder, ingestOrders, openTicket, releaseView, type Party } from '../custody/index.ts';
import { sampleOrder, type World } from '../custody/test-world.ts';

/** Adds the shop with `n` orders placed at `at` (epoch ms) and has its staff view each once. */
export async function addPeerShop(w: World, n: number, at: number): Promise<{ merchant: Party; staff: Party }> {
  const [merchant] = (await createParties(w.c, { operator: 'test' }, [
    { kind: 'merchant', name: '同类店铺', platform_id: w.platform.id },
  ])) as [Party];
  const [staff] = (await createParties(w.c, { operator: 'test' }, [
    { kind: 'merchant_staff', name: '同类店员', parent_id: merchant.id },
  ])) as [Party];
  const placed = await ingestOrders(
    w.c,
    w.platform,
    Array.from({ length: n }, (_, i) => ({
      ...sampleOrder(w, 5000 + i, i % 2 ? w.courier2 : w.courier),
      merchant_id: merchant.id,
      ordered_at: new Date(at).toISOString(),
      paid_at: new Date(at + 60_000).toISOString(),
    })),
  );
  for (const r of placed) if ('id' in r) await releaseView(w.c, staff, r.id);
  return { merchant, staff };
}

/** Has the world's CS agent 1 decrypt each order naming a ticket the platform registered for it. */
export async function ticketedDecrypts(w: World, orders: readonly string[], note: string): Promise<void> {
  for (const [i, o] of orders.entries())
    await decryptOrder(
      w.c,
      w.cs,
      o,
      'complaint',
      note,
      (await openTicket(w.c, w.platform, { order: o, ticket: `T-${i}`, agent_id: w.cs.id })).ticket,
    );
}
