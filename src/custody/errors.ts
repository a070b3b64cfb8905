/** Errors custody raises for bad input or refused access; they name fields, never values. */
import type { ZodError } from 'zod';

/** One field-level problem. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Bad input: nothing was written. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }

  /** From a zod error, optionally prefixing every path (e.g. with a line number). */
  static fromZod(err: ZodError, prefix?: string): InputError {
    return new InputError(
      err.issues.map((i) => ({
        field: [prefix, ...i.path.map(String)].filter((x) => x !== undefined && x !== '').join('.') || '(body)',
        message: i.message,
      })),
    );
  }
}

/** The party may not do this (403). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** A resource the operator configures ran out, such as the virtual-number pool (503): retrying later may work. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

/** No such thing, or not one the party may know about (404). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
