import fastify from 'fastify';
import { trustProxySetting } from './app.factory';

// TRUST_PROXY as the server reads it: which forwarded address becomes request.ip (the rate limit's key).
async function clientAddress(trustProxy: string, forwardedFor?: string): Promise<string> {
  const app = fastify({ trustProxy: trustProxySetting(trustProxy) });
  app.get('/', (request) => ({ ip: request.ip }));
  try {
    const response = await app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: '10.0.0.1',
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    });
    return (response.json() as { ip: string }).ip;
  } finally {
    await app.close();
  }
}

describe('trustProxySetting', () => {
  const chain = '203.0.113.7, 198.51.100.2, 192.0.2.9';

  it('believes no forwarded address when false, every one when true', async () => {
    expect(await clientAddress('false', chain)).toBe('10.0.0.1');
    expect(await clientAddress('true', chain)).toBe('203.0.113.7');
  });

  it('believes exactly the N proxies nearest the server for a hop count N', async () => {
    expect(await clientAddress('0', chain)).toBe('10.0.0.1');
    expect(await clientAddress('1', chain)).toBe('192.0.2.9');
    expect(await clientAddress('2', chain)).toBe('198.51.100.2');
    expect(await clientAddress('3', chain)).toBe('203.0.113.7');
    expect(await clientAddress('9', chain)).toBe('203.0.113.7');
    expect(await clientAddress('1')).toBe('10.0.0.1');
  });

  it('believes only the listed proxies for addresses or subnets', async () => {
    expect(await clientAddress('10.0.0.1', chain)).toBe('192.0.2.9');
    expect(await clientAddress('10.0.0.0/8, 192.0.2.9', chain)).toBe('198.51.100.2');
    expect(await clientAddress('127.0.0.1', chain)).toBe('10.0.0.1');
  });
});
