// A command refused by a domain rule. `kind` tells the API how to report it:
// NOT_FOUND for an unknown id, CONFLICT for a rule that refused.
export type DomainErrorKind = 'NOT_FOUND' | 'CONFLICT';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable name of the rule, e.g. `promise.already-settled`. */
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (rule: string, message: string): DomainError => new DomainError('NOT_FOUND', rule, message);
export const conflict = (rule: string, message: string): DomainError => new DomainError('CONFLICT', rule, message);
