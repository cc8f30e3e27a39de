// The stored JSON text of a parsed event's data, kept beside it for a reader
// that would otherwise serialise the very same data again (a rebuild's
// relationship_facts). Keyed by the parsed object itself: an upcast makes a
// new object, which has no text, so a text found is always that of the data
// as it stands (data is never mutated once parsed). Holds nothing alive.

const texts = new WeakMap<object, string>();

/**
 * JSON.parse(text), remembering `text` as the parsed value's JSON. Only for
 * texts JSON.stringify wrote (the event store's data column), which are the
 * JSON.stringify of what they parse to.
 */
export function parseStoredJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) texts.set(value, text);
  return value;
}

/** JSON.stringify(value), without serialising again when value came from parseStoredJson. */
export const storedJsonOf = (value: unknown): string =>
  (typeof value === 'object' && value !== null ? texts.get(value) : undefined) ?? JSON.stringify(value);
