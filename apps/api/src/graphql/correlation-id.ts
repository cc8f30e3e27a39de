import { randomUUID } from 'node:crypto';

/** Read from the request (the caller's id, when sane) and always set on the response. */
export const CORRELATION_HEADER = 'x-correlation-id';
const MAX_CORRELATION_ID_LENGTH = 128;
const SAFE = /^[A-Za-z0-9._:-]+$/;

/** The caller's `x-correlation-id` when it is a sane token, else a fresh one. */
export function correlationIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && value.length <= MAX_CORRELATION_ID_LENGTH && SAFE.test(value)) return value;
  return randomUUID();
}
