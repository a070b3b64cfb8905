/** What a ledger check reports: apart from verify.ts, so the row checks it runs can report without importing it. */
/** One thing wrong with the ledger. */
export interface LedgerProblem {
  kind:
    | 'missing'
    | 'reordered'
    | 'edited'
    | 'hash_mismatch'
    | 'bad_checkpoint'
    | 'root_mismatch'
    | 'truncated'
    | 'unsigned'
    | 'rewritten'
    | 'witness'
    | 'release'
    | 'budget'
    | 'party'
    | 'outcome'
    | 'canary'
    | 'chain'
    | 'foreign';
  index?: number;
  message: string;
}
