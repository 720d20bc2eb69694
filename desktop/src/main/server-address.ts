import { ClientConfigSchema, endpoints, endpointUrl, type ServerCheck } from '@collaro/shared';

/** Where a host is, in the terms of Chromium's Local Network Access. */
export type AddressSpace = 'loopback' | 'local' | 'public';

const PRIVATE_IPV4 = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./];

/** Decided from the address as written: a name is public unless it is localhost or ends in .local. */
export function addressSpaceOf(hostname: string): AddressSpace {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)) return 'loopback';
  if (PRIVATE_IPV4.some((pattern) => pattern.test(host)) || /^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:') || host.endsWith('.local'))
    return 'local';
  return 'public';
}

/**
 * The app's page is a secure origin (collaro-app://app), so Chromium refuses plain-http requests from
 * it as mixed content, except to this machine (loopback counts as secure).
 */
export function isReachableFromSecurePage(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' || addressSpaceOf(url.hostname) === 'loopback';
}

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Whether an address is a Collaro server the app can use, asked from main: the page's CSP only lets
 * it reach the server it was loaded for, so a new address is checked here before it is saved.
 */
export async function checkServer(origin: string, fetchImpl: typeof fetch): Promise<ServerCheck> {
  if (!isReachableFromSecurePage(origin)) {
    return {
      ok: false,
      problem: 'insecure',
      message:
        `${origin} is a plain http address on another computer. Collaro's window is a secure page, and a secure page ` +
        'may not load anything over plain http (mixed content). Use the https:// address of your Collaro server.',
    };
  }
  let response: Response;
  try {
    response = await fetchImpl(`${origin}${endpointUrl(endpoints.server.config)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, problem: 'unreachable', message: `Cannot reach ${origin}. Check the address and your network.` };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok || !ClientConfigSchema.safeParse(body).success) {
    return { ok: false, problem: 'not-collaro', message: `${origin} answered, but it is not a Collaro server.` };
  }
  return { ok: true, origin };
}
