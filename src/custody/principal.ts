/** Who calls: the scopes a key may hold, and the authenticated caller. */
import type { Party } from './party.ts';

/** What a key may do. `admin` implies every other scope. */
export const SCOPES = ['admin', 'registry', 'ingest', 'release', 'decrypt', 'ledger', 'trace', 'contacts', 'cases', 'reputation'] as const;
export type Scope = (typeof SCOPES)[number];

/** An authenticated caller. */
export interface Principal {
  keyId: string;
  party: Party;
  scopes: Scope[];
}

/** Who takes order data: a party, with the API key it used when the request came with one. */
export type Taker = Party | Pick<Principal, 'party' | 'keyId'>;

/** The party behind a taker, and its key id (none for the command line and the simulator). */
export function takerOf(t: Taker): { party: Party; key: string | undefined } {
  return 'keyId' in t ? { party: t.party, key: t.keyId } : { party: t, key: undefined };
}
