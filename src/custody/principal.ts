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
