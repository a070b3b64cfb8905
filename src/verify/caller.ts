/** "Who is this number?": the public half of verifying a caller (the private half is the contact lookup). */
import { canonicalPhone } from '../check/index.ts';
import { InputError, type Custody } from '../custody/index.ts';
import { brands, numberOwner } from './channels.ts';
import type { LookupParams } from './contact-crypto.ts';
import { lookupParams } from './contacts.ts';
import { lookupIdentifier, type ReputationView } from './reputation.ts';

/** Whether a number is registered, by whom, what that organisation never does, and its reputation. */
export interface CallerVerdict {
  number: string;
  official: { party: { id: string; name: string; kind: string }; label: string; never: string[] } | null;
  reputation: ReputationView;
  /** How to look up this deployment's contact records for the number (salt and bucket width): see contact-crypto.ts. */
  lookup: LookupParams;
  /** How many organisations have registered official channels here: with none, "not official" means nothing yet. */
  registered: number;
}

/** Looks a number up in the registry and the reputation store. */
export async function callerVerdict(c: Custody, raw: string): Promise<CallerVerdict> {
  const number = canonicalPhone(raw);
  if (!number) throw new InputError([{ field: 'number', message: 'must be a valid phone number' }]);
  const owner = await numberOwner(c, number);
  const ch = owner?.channels.find((x) => x.value === number);
  return {
    number,
    official: owner ? { party: owner.party, label: ch?.label ?? '', never: owner.never } : null,
    reputation: await lookupIdentifier(c, 'phone', number),
    lookup: await lookupParams(c),
    registered: (await brands(c)).length,
  };
}
