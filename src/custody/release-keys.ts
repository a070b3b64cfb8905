/** What `ledger verify` needs from the key holder to hold release and canary rows to their leaves. */
import { aliasesOf } from '../fingerprint/index.ts';
import type { ReleaseKeys } from '../ledger/index.ts';
import { canaryRoute, leafBinds } from './commitments.ts';
import type { Custody } from './custody.ts';
import { UnavailableError } from './errors.ts';
import { numberIndex, openNumber } from './numbers.ts';
import { orderRef } from './refs.ts';

/** What checking release rows needs: the order references, number commitments and aliases only the key holder can compute. */
export function releaseKeys(c: Custody): ReleaseKeys {
  const versions = new Set(c.keyring.versions('fingerprint'));
  return {
    orderRef: (id) => orderRef(c.keyring, id),
    openNumber: (row) => {
      try {
        return openNumber(c.keyring, row);
      } catch (e) {
        // A key version this process does not hold says nothing of the row: the check stops, naming the key.
        if (e instanceof UnavailableError) throw e;
        return null;
      }
    },
    bindsNumber: (index, field, vn) => leafBinds(c.keyring, index, field, vn),
    numberIndex: (bidx, vn) => numberIndex(c.keyring, bidx, vn),
    canaryRoute: (index, route) => canaryRoute(c.keyring, index, route),
    aliases: (v, idx) => (versions.has(v) ? aliasesOf(c.keyring.key('fingerprint', v), idx) : null),
  };
}
