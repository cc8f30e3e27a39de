import { textFault } from './input-rules';

describe('text a client may store', () => {
  it.each(['Ada Lovelace', 'Zoë Ødegård', '日本語の名前', 'emoji 🧭 kept whole', 'a-b_c.d'])(
    'keeps %j on one line',
    (value) => {
      expect(textFault(value, { multiline: false })).toBeNull();
    },
  );

  it.each(['line one\nline two', 'tab\tseparated', 'windows\r\nlines'])('keeps %j in free text', (value) => {
    expect(textFault(value, { multiline: true })).toBeNull();
  });

  it.each([
    ['a NUL byte', 'a\u0000b'],
    ['a bell', 'a\u0007b'],
    ['an ANSI colour escape', '\u001b[31mred\u001b[0m'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (CSI)', 'a\u009b31m'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['a form feed', 'a\u000cb'],
    ['a vertical tab', 'a\u000bb'],
    ['a lone CR', 'a\rb'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a surrogate pair reversed', '\ude00\ud83d'],
  ])('refuses %s everywhere', (_case, value) => {
    expect(textFault(value, { multiline: true })).not.toBeNull();
    expect(textFault(value, { multiline: false })).not.toBeNull();
  });

  it.each(['line one\nline two', 'tab\tseparated'])('refuses %j in a one-line field', (value) => {
    expect(textFault(value, { multiline: false })).toMatch(/line breaks/);
  });
});
