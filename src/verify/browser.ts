/** What the consumer pages use of verify: the answer's wording, the caller verdict's shape and the private bucket lookup (no server code). */
export { contactAnswer, numberAnswer, type ContactAnswer } from './answer.ts';
export type { CallerVerdict } from './caller.ts';
export { openBucket, type BucketEntry } from './contact-crypto.ts';
