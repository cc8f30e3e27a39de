import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, validateEnvironment } from './app-config';

const problemsOf = (environment: Record<string, string>): string[] => {
  try {
    validateEnvironment(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the server configuration', () => {
  describe('an empty environment', () => {
    it('falls back to the embedded defaults', () => {
      expect(validateEnvironment({})).toMatchObject({
        PORT: 3000,
        DATA_DIR: path.resolve('./data'),
        LOG_LEVEL: 'info',
        SQLITE_SYNCHRONOUS: 'FULL',
        PROJECTION_WAIT_MS: 2000,
        EVENTSTORE_CONNECTION_STRING: undefined,
      });
    });
  });

  describe('a bad value', () => {
    it.each([
      ['PORT', 'eighty'],
      ['PORT', '70000'],
      ['LOG_LEVEL', 'chatty'],
      ['EVENTSTORE_CONNECTION_STRING', 'http://localhost:2113'],
      ['AUTH_JWT_SECRET', 'short'],
      ['SQLITE_SYNCHRONOUS', 'OFF'],
    ])('%s=%s is refused with a message naming the variable', (name, value) => {
      expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigError);
      expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`${name}[= ]`));
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '1.5'],
    ['PORT', '70000'],
    ['RATE_LIMIT_PER_MINUTE', 'lots'],
  ])('%s=%s gets one message, not one per rule it breaks', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}="${value.replace('.', '\\.')}": must be a whole number`));
  });

  it('names every bad variable once, in one error', () => {
    expect(problemsOf({ PORT: 'abc', LOG_LEVEL: 'chatty', METRICS_ENABLED: 'yes' })).toEqual([
      'PORT="abc": must be a whole number from 0 to 65535',
      'LOG_LEVEL="chatty": must be one of fatal, error, warn, info, debug, trace, silent',
      'METRICS_ENABLED="yes": must be true or false',
    ]);
  });

  it('never echoes a secret: the JWT secret, or credentials inside the EventStoreDB connection string', () => {
    const message = problemsOf({
      AUTH_JWT_SECRET: 'hunter2-hunter2',
      EVENTSTORE_CONNECTION_STRING: 'https://admin:changeit@db:2113',
    }).join('\n');
    expect(message).toContain('AUTH_JWT_SECRET (15 characters, not shown): must be at least 32 characters');
    expect(message).toContain('EVENTSTORE_CONNECTION_STRING="https://***@db:2113"');
    expect(message).not.toMatch(/hunter2|changeit/);
  });

  it('resolves DATA_DIR against the working directory, once', () => {
    expect(validateEnvironment({ DATA_DIR: 'some/where' }).DATA_DIR).toBe(path.resolve('some/where'));
  });

  describe('a DATA_DIR that cannot hold the files', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-config-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is refused when it is a file, or inside one, naming DATA_DIR', () => {
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, '');
      expect(problemsOf({ DATA_DIR: file })).toEqual([`DATA_DIR="${file}": is a file, not a directory`]);
      expect(problemsOf({ DATA_DIR: path.join(file, 'data') })).toEqual([
        `DATA_DIR="${path.join(file, 'data')}": is inside a file, not a directory`,
      ]);
    });

    // root may write anywhere: only a non-root user can see the refusal.
    (process.getuid?.() === 0 ? it.skip : it)('is refused when it is not writable', () => {
      fs.chmodSync(dir, 0o500);
      expect(problemsOf({ DATA_DIR: dir })).toEqual([`DATA_DIR="${dir}": is not writable by this user`]);
      fs.chmodSync(dir, 0o700);
    });

    it('is accepted when it does not exist yet but can be created', () => {
      expect(problemsOf({ DATA_DIR: path.join(dir, 'new', 'data') })).toEqual([]);
    });
  });

  it('reads numbers and an EventStoreDB connection string', () => {
    expect(
      validateEnvironment({ PORT: '8080', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }),
    ).toMatchObject({ PORT: 8080, EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
  });
});
