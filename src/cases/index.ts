/** Cases (报案): victim reports with evidence, sealed and in the ledger, a police-ready PDF, and feeds to reputation and trace. */
export { casePdf } from './case-pdf.ts';
export { checkEvidence, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, type CheckedFile, type Upload } from './evidence.ts';
export {
  addEvidence,
  caseForToken,
  casePlatform,
  inReach as casesInReach,
  CASE_STATUSES,
  createCase,
  evidenceFile,
  getCase,
  listCases,
  reindexCases,
  reportedIdentifiers,
  setCaseStatus,
  type CaseReceipt,
  type CaseStatus,
  type CaseRecord,
} from './intake.ts';
export { caseInputSchema, type CaseInput } from './schema.ts';
export { traceCase } from './trace-case.ts';
