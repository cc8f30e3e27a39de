import { ConfigError, validateEnvironment } from './app-config';

describe('the server configuration', () => {
  describe('an empty environment', () => {
    it('falls back to the embedded defaults', () => {
      expect(validateEnvironment({})).toMatchObject({
        PORT: 3000,
        DATA_DIR: './data',
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
      expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`${name}=`));
    });
  });

  it('reads numbers and an EventStoreDB connection string', () => {
    expect(
      validateEnvironment({ PORT: '8080', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }),
    ).toMatchObject({ PORT: 8080, EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
  });
});
