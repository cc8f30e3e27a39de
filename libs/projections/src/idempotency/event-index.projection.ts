import { defineRowProjection } from '../runner/row.projection';

export type EventIndexRow = {
  event_id: string;
  stream_id: string;
  idempotency_key: string;
  input_hash: string | null;
  mutation: string | null;
};

// Written by the API as strings; anything else another tool wrote is kept as its JSON.
const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/**
 * Events appended under an idempotency key, by event id (which the API derives
 * from the key): a retried mutation finds what the first call appended.
 * Any stream counts, whether or not a read model knows its type.
 */
export const eventIndexProjection = defineRowProjection<EventIndexRow>({
  name: 'event_index',
  version: 1,
  columns: {
    event_id: 'TEXT',
    stream_id: 'TEXT',
    idempotency_key: 'TEXT',
    input_hash: 'TEXT',
    mutation: 'TEXT',
  },
  indexes: [['event_id']],
  rowOf: ({ stored }) => {
    const idempotencyKey = stored.metadata.idempotencyKey;
    if (typeof idempotencyKey !== 'string') return null;
    return {
      event_id: stored.id,
      stream_id: stored.streamId,
      idempotency_key: idempotencyKey,
      input_hash: text(stored.metadata.inputHash),
      mutation: text(stored.metadata.mutation),
    };
  },
});
