/** A case as trace's report input: the linked order and what the scammer quoted. */
import { InputError, type Custody } from '../custody/index.ts';
import { investigateReport, type ReportInvestigation } from '../trace/index.ts';
import { getCase } from './intake.ts';

/** Runs the single-report investigation (L1 alias tail) for a case linked to an order; `by` is the caller's party id. */
export async function traceCase(c: Custody, id: string, by = 'cli'): Promise<ReportInvestigation> {
  const k = await getCase(c, id);
  if (!k.orderId) throw new InputError([{ field: 'order', message: 'the case is not linked to a platform order' }]);
  return investigateReport(
    c,
    {
      order: k.orderId,
      ...(k.facts.quoted.text !== undefined ? { text: k.facts.quoted.text } : {}),
      ...(k.facts.quoted.order_tail !== undefined ? { aliasTail: k.facts.quoted.order_tail } : {}),
    },
    by,
  );
}
