import { documentNesting } from './document-nesting';

describe('the nesting of a document', () => {
  it.each([
    ['{ me { subject } }', 2],
    ['query ($a: [ID!]!) { nodes(ids: $a) { id } }', 2],
    ['mutation { launchProgram(input: { name: "x" }) { position } }', 3],
    ['{ a: me { subject } b: me { subject } }', 2],
    ['', 0],
  ])('of %s is %i', (source, depth) => {
    expect(documentNesting(source)).toBe(depth);
  });

  it('does not count brackets inside strings, block strings or comments', () => {
    expect(documentNesting('{ me(x: "{{{[[[(((\\" {{{") { subject } }')).toBe(2);
    expect(documentNesting('{ me(x: """ {{{ \\""" {{{ """) { subject } }')).toBe(2);
    expect(documentNesting('# {{{{{{{{\n{ me { subject } }')).toBe(2);
  });

  it('counts thousands of levels without recursing', () => {
    expect(documentNesting(`{ me ${'{ subject '.repeat(100_000)}${'}'.repeat(100_001)}`)).toBe(100_001);
  });
});
