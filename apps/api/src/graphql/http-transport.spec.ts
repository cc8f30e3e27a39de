import fc from 'fast-check';
import { documentNesting } from './document-nesting';
import { contentTypeRefusal, contentTypeVerdict, nestingOf, parseJsonBody, usableOrigin } from './http-transport';

// The transport's per-request shortcuts, each against the way it was computed before (kept here as oracles).

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** The body parser's JSON test of a Content-Type, as it was written before the verdicts were kept. */
const wasJson = (header: string | undefined) =>
  JSON_TYPE.test(
    String(header ?? '')
      .split(';')[0]
      .trim(),
  );

/** parseJsonBody as it was: decode, skip a BOM, find the first non-whitespace character with a regex. */
function parsedBefore(buffer: Buffer): { value: unknown } | { refused: true } {
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return { value: {} };
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') return { refused: true };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { refused: true };
  }
}

function parsedNow(buffer: Buffer): { value: unknown } | { refused: true } {
  try {
    return { value: parseJsonBody(buffer) };
  } catch {
    return { refused: true };
  }
}

const contentTypes = fc.oneof(
  fc.constantFrom(
    undefined,
    '',
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;Charset="UTF-8"',
    'application/graphql-response+json',
    'application/json; charset=latin1',
    'application/json;charset=utf-8;charset=utf-16',
    ' application/json ',
    'text/plain',
    'application/jsonx',
    'multipart/form-data; boundary=x',
  ),
  fc
    .tuple(
      fc.constantFrom('application', 'text', 'APPLICATION', ''),
      fc.constantFrom('/json', '/x+json', '/plain', '', '/a.b+json'),
      fc.array(fc.constantFrom(' charset=utf-8', 'charset="utf-8"', ' charset=ascii', ' q=1', ' ', ''), {
        maxLength: 3,
      }),
    )
    .map(([type, subtype, parameters]) => [type + subtype, ...parameters].join(';')),
  fc.string({ maxLength: 40 }),
);

describe('the Content-Type verdicts', () => {
  it('are those of the rules they keep, however often and in whatever order they are asked', () => {
    fc.assert(
      fc.property(fc.array(contentTypes, { minLength: 1, maxLength: 200 }), (headers) => {
        for (const header of headers) {
          expect(contentTypeVerdict(header)).toEqual({ json: wasJson(header), refusal: contentTypeRefusal(header) });
        }
      }),
    );
  });

  it('stay right past the number kept, and for headers too long to keep', () => {
    for (let i = 0; i < 500; i++) {
      const header = i % 2 ? `application/x${i}+json` : `text/x${i}`;
      expect(contentTypeVerdict(header).json).toBe(i % 2 === 1);
    }
    const long = `application/json; charset=utf-8; x=${'y'.repeat(1000)}`;
    expect(contentTypeVerdict(long)).toEqual({ json: true, refusal: undefined });
    expect(contentTypeVerdict(long)).toEqual({ json: true, refusal: undefined });
  });
});

describe('parseJsonBody', () => {
  const bodies = fc.oneof(
    fc.json().map((text) => Buffer.from(text)),
    fc
      .tuple(
        fc.constantFrom('', '\ufeff', '\ufeff\ufeff', '\u2028', '\u00a0'),
        fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f'), { maxLength: 4 }),
        fc.oneof(fc.json(), fc.constantFrom('', '{', '[1,', '{}x', 'nul', '"s"', '7', '[]', '{"a":1}')),
      )
      .map(([prefix, space, json]) => Buffer.from(prefix + space.join('') + json)),
    fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
    fc
      .tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xef, 0xbb], [0xef], []), fc.uint8Array({ maxLength: 12 }))
      .map(([bom, rest]) => Buffer.from([...bom, ...rest])),
  );

  it('parses or refuses each body as the decode-then-match parser did', () => {
    fc.assert(
      fc.property(bodies, (buffer) => {
        expect(parsedNow(buffer)).toEqual(parsedBefore(buffer));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a body given as a view of a larger buffer by its own bytes only', () => {
    const whole = Buffer.from('xx{"query":"{ a }"}yy');
    expect(parseJsonBody(whole.subarray(2, whole.length - 2))).toEqual({ query: '{ a }' });
  });
});

describe('usableOrigin', () => {
  it('is URL.canParse of the origin, kept or not', () => {
    const origins = fc.tuple(
      fc.constantFrom('http', 'https', 'gopher', 'h t', ''),
      fc.oneof(
        fc.constantFrom('localhost', 'a b', '[::1', '[::1]', 'example.org:80', ''),
        fc.string({ maxLength: 12 }),
      ),
    );
    fc.assert(
      fc.property(fc.array(origins, { minLength: 1, maxLength: 150 }), (pairs) => {
        for (const [protocol, host] of pairs) {
          const origin = `${protocol}://${host}/`;
          expect(usableOrigin(origin)).toBe(URL.canParse(origin));
        }
      }),
    );
  });
});

describe('nestingOf', () => {
  it('is the documentNesting of the document, kept or not, however often asked', () => {
    const documents = fc.oneof(
      fc.constantFrom('{ a }', '{ a { b { c } } }', '{ a(x: [[1]]) }', '# {{{\n{ a }', '{ a(s: "{{{") }', ''),
      fc
        .array(fc.constantFrom('{', '}', '[', ']', '(', ')', 'a', ' ', '"', '#', '\n', '"""'), { maxLength: 40 })
        .map((parts) => parts.join('')),
      fc.integer({ min: 0, max: 3000 }).map((depth) => '{a'.repeat(depth) + '}'.repeat(depth)),
    );
    fc.assert(
      fc.property(fc.array(documents, { minLength: 1, maxLength: 200 }), (asked) => {
        for (const document of asked) expect(nestingOf(document)).toBe(documentNesting(document));
      }),
    );
  });
});
