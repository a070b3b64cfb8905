/** Error responses: a code, a message, and the fields at fault; never the values sent. */
import type { ZodError } from 'zod';

/** One field-level problem. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Field issues from a zod error, without echoing input values. */
export function fieldIssues(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

/** True when the only problem is the size of a text or list: such requests get 413; a number out of range is a 400. */
export function isTooLarge(err: ZodError): boolean {
  return err.issues.length > 0 && err.issues.every((i) => i.code === 'too_big' && (i.origin === 'string' || i.origin === 'array'));
}
