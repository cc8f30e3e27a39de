/**
 * JSON.stringify for documents, remembering the JSON of their arrays and of
 * the objects in them. A document folded from the one before shares every
 * array and array element the event did not change (evolve copies only what
 * changes: a new promise, the promise kept), so writing a relationship of
 * thousands of promises and meetings again serialises the fields that changed
 * and copies the JSON of the rest. The text is JSON.stringify's, character
 * for character: each remembered piece is JSON.stringify's own. Documents are
 * immutable values: an array or object once written is never changed in
 * place (a changed one is a new object).
 */
export class DocumentJson {
  private readonly written = new WeakMap<object, string>();

  stringify(value: unknown): string {
    if (!isPlainObject(value)) return JSON.stringify(value);
    const fields: string[] = [];
    for (const key of Object.keys(value)) {
      const field = value[key];
      const json = isPlainArray(field) ? this.array(field) : JSON.stringify(field);
      // JSON.stringify leaves out a field whose value it cannot write (undefined, a function, a symbol).
      if (json !== undefined) fields.push(`${JSON.stringify(key)}:${json}`);
    }
    return `{${fields.join(',')}}`;
  }

  private array(array: readonly unknown[]): string {
    const known = this.written.get(array);
    if (known !== undefined) return known;
    const elements = new Array<string>(array.length);
    for (let i = 0; i < array.length; i++) elements[i] = this.element(array[i]);
    const json = `[${elements.join(',')}]`;
    this.written.set(array, json);
    return json;
  }

  private element(value: unknown): string {
    if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
    const known = this.written.get(value);
    if (known !== undefined) return known;
    const json = JSON.stringify(value) ?? 'null';
    this.written.set(value, json);
    return json;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'toJSON' in value) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const isPlainArray = (value: unknown): value is unknown[] =>
  Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && !('toJSON' in value);
