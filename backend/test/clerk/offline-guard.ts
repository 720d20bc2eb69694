import net from 'node:net';
import { afterAll, afterEach, expect } from 'vitest';

/**
 * Clerk's servers must never be contacted from these tests. Every outbound connection that is not
 * to this machine is refused (fetch, undici's dispatcher, http, pg: all go through net.Socket) and
 * recorded, and the test that attempted it fails even if the code under test swallowed the error.
 */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;
const attempts: string[] = [];

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (Array.isArray(first)) return hostOf(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; hostname?: string; path?: string };
    if (options.path && !options.host && !options.hostname) return undefined; // a Unix socket
    return options.host ?? options.hostname ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args);
  if (host !== undefined && !LOOPBACK.test(host.replace(/^\[|\]$/g, ''))) {
    attempts.push(`connect ${host}`);
    throw new Error(`Outbound network connection to ${host} refused in an offline test`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input.toString());
  if (!LOOPBACK.test(url.hostname.replace(/^\[|\]$/g, ''))) {
    attempts.push(`fetch ${url.href}`);
    throw new TypeError(`fetch to ${url.href} refused in an offline test`);
  }
  return originalFetch(input, init);
};

process.env.CLERK_TELEMETRY_DISABLED = '1';

afterEach(() => {
  const seen = attempts.splice(0);
  expect(seen, 'outbound network attempts').toEqual([]);
});

afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  globalThis.fetch = originalFetch;
});

/** For the test that proves the guard works. */
export function takeNetworkAttempts(): string[] {
  return attempts.splice(0);
}
