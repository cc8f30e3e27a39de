import { erasedValue, legacyValue, newSubjectKey, open, parseEnvelope, seal } from './field-cipher';

const subject = 'participant-0b9d4c53-6f7e-4c1a-9a57-2f4a3f0f6d11';

const sealedOf = (value: string) => {
  const envelope = parseEnvelope(value);
  if (envelope?.kind !== 'sealed') throw new Error('not sealed');
  return envelope;
};

describe('a sealed personal value', () => {
  const key = newSubjectKey();

  it('opens with its subject key to the text sealed, unicode included', () => {
    expect(open(sealedOf(seal('Ada Lovelace — ☕', subject, 1, key)), key)).toBe('Ada Lovelace — ☕');
  });

  it('never shows the plaintext and uses a fresh nonce each time', () => {
    const a = seal('Ada Lovelace', subject, 1, key);
    const b = seal('Ada Lovelace', subject, 1, key);
    expect(a).not.toContain('Ada');
    expect(a).not.toBe(b);
    expect(sealedOf(a).nonce.equals(sealedOf(b).nonce)).toBe(false);
  });

  it('does not open with another key', () => {
    expect(open(sealedOf(seal('Ada', subject, 1, key)), newSubjectKey())).toBeNull();
  });

  it('does not open once moved to another subject or altered', () => {
    const sealed = seal('Ada', subject, 1, key);
    const moved = sealed.replace(subject, 'participant-00000000-0000-4000-8000-000000000000');
    expect(open(sealedOf(moved), key)).toBeNull();
    const envelope = sealedOf(sealed);
    envelope.body[0] ^= 1;
    expect(open(envelope, key)).toBeNull();
  });

  it('names its subject and key version', () => {
    expect(sealedOf(seal('x', subject, 3, key))).toMatchObject({ subject, version: 3 });
  });
});

describe('values that are not sealed', () => {
  it('a legacy value keeps its text and names its subject', () => {
    expect(parseEnvelope(legacyValue('said: a:b', subject))).toEqual({ kind: 'legacy', subject, text: 'said: a:b' });
  });

  it('an erased value names only its subject', () => {
    expect(parseEnvelope(erasedValue(subject))).toEqual({ kind: 'erased', subject });
  });

  it('plain text is no envelope', () => {
    expect(parseEnvelope('Ada Lovelace')).toBeNull();
  });
});
