import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('defaults to the embedded setup on 127.0.0.1:4000', () => {
    const config = loadConfig({ COLLARO_DATA_DIR: '/tmp/collaro-defaults' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      dataDir: '/tmp/collaro-defaults',
      databaseUrl: undefined,
      publicUrl: 'http://127.0.0.1:4000',
      logLevel: 'info',
    });
  });

  it('puts the data dir in the per-user data directory when unset', () => {
    expect(loadConfig({}).dataDir).toMatch(/collaro$/);
  });

  it('derives PUBLIC_URL from HOST and PORT, and honours an explicit one without its trailing slash', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://collaro.example.com/' }).publicUrl).toBe('https://collaro.example.com');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['CORS_ORIGINS', 'not a url'],
  ])('refuses a bad %s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(4000);
  });
});
