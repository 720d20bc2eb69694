import { parsePublishableKey } from '@clerk/shared/keys';
import { ClientConfigSchema, endpoints, endpointUrl } from '@collaro/shared';
import type { SettingsStore, StoredSettings } from './settings-store.js';

/** How users of a server sign in, as far as the window's CSP cares: Clerk's Frontend API host, or none. */
export interface ServerAuth {
  backendUrl: string;
  clerkFrontendApi: string | null;
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/i;

/** The Frontend API host a Clerk publishable key names (`pk_test_` + base64 of `<host>$`), when it is a plain host. */
export function clerkFrontendApiOf(publishableKey: string): string | null {
  const parsed = parsePublishableKey(publishableKey);
  return parsed && HOST.test(parsed.frontendApi) ? parsed.frontendApi.toLowerCase() : null;
}

/** The stored answer, if it belongs to the server the app is configured for. */
export function currentServerAuth(settings: Pick<StoredSettings, 'backendUrl' | 'serverAuth'>): ServerAuth | null {
  return settings.serverAuth?.backendUrl === settings.backendUrl ? settings.serverAuth : null;
}

export interface ServerAuthDeps {
  settings: SettingsStore;
  fetch: (url: string, init: { signal: AbortSignal }) => Promise<Response>;
  /** The server, or how it signs users in, changed: the window needs a page with the new CSP. */
  onServerChanged: () => void;
  log: (message: string) => void;
}

const FETCH_TIMEOUT_MS = 10_000;

/**
 * Keeps the window's CSP in step with the server: asks the server's `/api/config` whether it signs
 * users in with Clerk, and from which Frontend API host, at start and whenever the address changes.
 * The answer is kept in the settings, so the next start has the right CSP from its first page.
 */
export class ServerAuthService {
  readonly #deps: ServerAuthDeps;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: ServerAuthDeps) {
    this.#deps = deps;
  }

  start(): void {
    let backendUrl = this.#deps.settings.get().backendUrl;
    this.#unsubscribe = this.#deps.settings.onChange((next) => {
      if (next.backendUrl === backendUrl) return;
      backendUrl = next.backendUrl;
      // A new server always needs a fresh page (the CSP names the server), once its sign-in is known.
      void this.refresh().finally(() => this.#deps.onServerChanged());
    });
    void this.refresh().then((changed) => changed && this.#deps.onServerChanged());
  }

  dispose(): void {
    this.#unsubscribe?.();
  }

  current(): ServerAuth | null {
    return currentServerAuth(this.#deps.settings.get());
  }

  /** Asks the server; true when what it says differs from what was stored. Offline, the stored answer stays. */
  async refresh(): Promise<boolean> {
    const backendUrl = this.#deps.settings.get().backendUrl;
    let answer: ServerAuth;
    try {
      const response = await this.#deps.fetch(`${backendUrl}${endpointUrl(endpoints.server.config)}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      const config = ClientConfigSchema.parse(await response.json());
      answer = { backendUrl, clerkFrontendApi: config.auth === 'clerk' && config.clerkPublishableKey ? clerkFrontendApiOf(config.clerkPublishableKey) : null };
    } catch (error) {
      this.#deps.log(`Could not ask ${backendUrl} how it signs users in: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    if (this.#deps.settings.get().backendUrl !== backendUrl) return false;
    const stored = this.current();
    if (stored?.clerkFrontendApi === answer.clerkFrontendApi && stored.backendUrl === answer.backendUrl) return false;
    this.#deps.settings.update({ serverAuth: answer });
    return true;
  }
}
