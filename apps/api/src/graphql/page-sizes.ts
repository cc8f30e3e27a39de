import { InvalidPageRequest, MAX_PAGE_SIZE, pageLength } from '@trustline/projections';
import { apiError } from './api-errors';

// Every page size of the API, in one place. The defaults are the contract's
// (`first: Int = 50`, a history's `first: Int = 100`).
export const PAGE_SIZES = {
  /** `first` of a list asked without one. */
  defaultFirst: 50,
  /** `first` of a relationship's history asked without one. */
  defaultHistoryFirst: 100,
  /** The most items a list of the read models returns. */
  largestList: MAX_PAGE_SIZE,
  /** The most events one page of a relationship's history holds. */
  largestHistory: 500,
} as const;

/**
 * `first` as every list of the API takes it: a negative one is refused with
 * BAD_USER_INPUT, one larger than a page holds is clamped to `largest`.
 */
export function pageFirst(first: number, largest: number): number {
  try {
    return pageLength(first, largest);
  } catch (error) {
    if (!(error instanceof InvalidPageRequest)) throw error;
    throw apiError('BAD_USER_INPUT', error.message, {
      violations: [{ field: 'first', message: 'must be a non-negative integer' }],
    });
  }
}
