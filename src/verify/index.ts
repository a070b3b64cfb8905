/** Verify (核验): official channels and never-do policies, outbound contact records, and reputation. */
export {
  brands,
  directory,
  NEVER_ASKS,
  numberOwner,
  register,
  registrationSchema,
  unregister,
  type DirectoryEntry,
  type Registration,
} from './channels.ts';
export {
  BUCKET_HEX,
  lookupKey,
  LOOKUP_ITERATIONS,
  openBucket,
  openPayload,
  sealPayload,
  type BucketEntry,
  type ContactPayload,
} from './contact-crypto.ts';
export {
  bucketEntries,
  bucketQuerySchema,
  CONTACT_REASONS,
  contactInputSchema,
  findContacts,
  MAX_WINDOW_DAYS,
  REASON_TEXT,
  recordContacts,
  RETENTION_DAYS,
  type BucketQuery,
  type ContactInput,
} from './contacts.ts';
export {
  canonicalChannel,
  canonicalDomain,
  canonicalIdentifier,
  CHANNEL_KINDS,
  identifierSchema,
  maskIdentifier,
  type ChannelKind,
} from './identifiers.ts';
export {
  appealForReviewer,
  appealInputSchema,
  appealStatus,
  decayed,
  decideAppeal,
  HALF_LIFE_DAYS,
  knowledgeFor,
  listAppeals,
  lookupIdentifier,
  openAppeal,
  reindexSubjects,
  REPORT_WEIGHTS,
  reportIdentifiers,
  topSubjects,
  type AppealView,
  type ReportSource,
  type ReputationView,
} from './reputation.ts';
export { callerVerdict, type CallerVerdict } from './caller.ts';
export { contactAnswer, numberAnswer, type ContactAnswer } from './answer.ts';
