import fc from 'fast-check';
import { DocumentJson } from './document.json';

// Plain data as documents hold it, with what JSON.stringify leaves out or changes (undefined, -0, NaN) among it.
const leaf = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(-0),
);
const { data } = fc.letrec((tie) => ({
  data: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('data'), { maxLength: 6 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie('data'), { maxKeys: 6 }),
}));

type Item = { id: number; label: string; tags: string[]; note?: string | null };
type Doc = { name: string; revision: number; items: Item[]; nested: { items: Item[] } };

const edit = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), label: fc.string(), tags: fc.array(fc.string(), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('change' as const), at: fc.nat(), label: fc.string() }),
  fc.record({ kind: fc.constant('note' as const), at: fc.nat(), note: fc.option(fc.string(), { nil: undefined }) }),
  fc.record({ kind: fc.constant('rename' as const), name: fc.string() }),
);

// Immutable updates, as evolve makes them: unchanged items keep their identity.
const apply = (doc: Doc, step: typeof edit extends fc.Arbitrary<infer E> ? E : never, revision: number): Doc => {
  const touch = (items: Item[], at: number, change: (item: Item) => Item) =>
    items.map((item, i) => (i === at % Math.max(1, items.length) ? change(item) : item));
  switch (step.kind) {
    case 'add': {
      const item = { id: revision, label: step.label, tags: step.tags };
      return { ...doc, revision, items: [...doc.items, item] };
    }
    case 'change':
      return { ...doc, revision, items: touch(doc.items, step.at, (item) => ({ ...item, label: step.label })) };
    case 'note':
      return {
        ...doc,
        revision,
        nested: { items: touch(doc.items, step.at, (item) => ({ ...item, note: step.note })) },
      };
    default:
      return { ...doc, revision, name: step.name };
  }
};

describe('DocumentJson', () => {
  it('writes what JSON.stringify writes, for any plain data', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), data), (value) => {
        expect(new DocumentJson().stringify(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes what JSON.stringify writes for each document folded from the one before', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (steps) => {
        const json = new DocumentJson();
        let doc: Doc = { name: 'start', revision: 0, items: [], nested: { items: [] } };
        expect(json.stringify(doc)).toBe(JSON.stringify(doc));
        steps.forEach((step, i) => {
          doc = apply(doc, step, i + 1);
          expect(json.stringify(doc)).toBe(JSON.stringify(doc));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('leaves what is not plain data to JSON.stringify', () => {
    const value = { at: new Date(0), map: new Map([[1, 2]]), list: [new Date(1), { toJSON: () => 'custom' }] };
    expect(new DocumentJson().stringify(value)).toBe(JSON.stringify(value));
  });
});
