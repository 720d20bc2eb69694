import { isIP } from 'node:net';
import type { Session } from 'electron';
import { originOf, type AppOrigins } from './app-origins.js';
import { addressSpaceOf } from './server-address.js';

const MAX_EXTERNAL_URL_LENGTH = 2048;

/** Links the system browser may open: plain http(s) addresses, nothing with credentials or scripts. */
export function isSafeExternalUrl(input: string): boolean {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password;
}

/** The app window only ever shows the app; in-app routes change through the history API, not navigation. */
export function isNavigationAllowed(targetUrl: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(targetUrl);
  return origin !== null && allowedOrigins.includes(origin);
}

export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/** No page ever opens a new Electron window; validated web links go to the system browser instead. */
export function decideWindowOpen(targetUrl: string): WindowOpenDecision {
  return { action: 'deny', openExternally: isSafeExternalUrl(targetUrl) ? targetUrl : null };
}

/**
 * Permissions granted to the app's own origin. Camera, microphone, screen capture and notifications
 * are what meetings and chat need; fullscreen is for a meeting's stage view and sanitized clipboard
 * writes for "Copy meeting link". Everything else, and everything for any other origin, is refused.
 */
export const APP_PERMISSIONS = ['media', 'display-capture', 'notifications', 'fullscreen', 'clipboard-sanitized-write'] as const;

export interface PermissionRequestDetails {
  requestingUrl?: string;
  mediaTypes?: readonly string[];
}

export function decidePermission(permission: string, requestingUrl: string, appOrigin: string, details: PermissionRequestDetails = {}): boolean {
  if (originOf(requestingUrl) !== appOrigin) return false;
  if (!(APP_PERMISSIONS as readonly string[]).includes(permission)) return false;
  if (permission === 'media') {
    const types = details.mediaTypes ?? [];
    return types.every((type) => type === 'video' || type === 'audio');
  }
  return true;
}

/** Chromium's Local Network Access permissions: the combined name, and the two it was split into. */
export const LOCAL_NETWORK_PERMISSIONS = ['local-network-access', 'local-network', 'loopback-network'] as const;

export function isLocalNetworkPermission(permission: string): boolean {
  return (LOCAL_NETWORK_PERMISSIONS as readonly string[]).includes(permission);
}

/**
 * Chromium asks before a page reaches this machine or the local network, and the default server is
 * on this machine. The app's own page gets the permission for the configured server's address space
 * alone: loopback for a server on this machine; the local network for a private address, or for a
 * name (which may resolve to one). The page's CSP already confines it to that one server.
 */
export function decideLocalNetworkAccess(permission: string, requestingUrl: string, appOrigin: string, backendUrl: string): boolean {
  if (originOf(requestingUrl) !== appOrigin) return false;
  let host: string;
  try {
    host = new URL(backendUrl).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  const space = addressSpaceOf(host);
  const mayBeLocal = space === 'local' || (space === 'public' && isIP(host) === 0);
  switch (permission) {
    case 'loopback-network':
      return space === 'loopback';
    case 'local-network':
      return mayBeLocal;
    case 'local-network-access':
      return space === 'loopback' || mayBeLocal;
    default:
      return false;
  }
}

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface SecurityDeps {
  app: { on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown };
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
  origins: AppOrigins;
  /** The server the app is configured for: the only one Local Network Access is granted for. */
  getBackendUrl: () => string;
  openExternal: (url: string) => Promise<void>;
  log: (message: string) => void;
}

/** Applies the navigation, new-window and permission rules to every WebContents Collaro creates. */
export function guardContents(contents: GuardedContents, deps: Pick<SecurityDeps, 'origins' | 'openExternal' | 'log'>): void {
  const allowed = [deps.origins.app, deps.origins.picker];
  const refuseForeign = (event: { preventDefault(): void }, url: string): void => {
    if (isNavigationAllowed(url, allowed)) return;
    event.preventDefault();
    deps.log(`Blocked navigation to ${url.slice(0, 200)}`);
    // A plain web link the user clicked still opens, in the system browser rather than in the app window.
    if (isSafeExternalUrl(url)) void deps.openExternal(url).catch((error: unknown) => deps.log(`Could not open ${url}: ${String(error)}`));
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) {
      void deps.openExternal(decision.openExternally).catch((error: unknown) => deps.log(`Could not open ${url}: ${String(error)}`));
    } else {
      deps.log(`Refused to open ${url.slice(0, 200)}`);
    }
    return { action: decision.action };
  });
}

export function createSecurityService(deps: SecurityDeps) {
  return {
    start(): void {
      deps.app.on('web-contents-created', (_event, contents) => guardContents(contents, deps));
      deps.session.setPermissionRequestHandler((webContents, permission, callback, details) => {
        const media = 'mediaTypes' in details ? details.mediaTypes : undefined;
        const requestingUrl = details.requestingUrl || webContents.getURL();
        if (isLocalNetworkPermission(permission)) {
          callback(decideLocalNetworkAccess(permission, requestingUrl, deps.origins.app, deps.getBackendUrl()));
          return;
        }
        callback(decidePermission(permission, requestingUrl, deps.origins.app, { mediaTypes: media ?? [] }));
      });
      deps.session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
        isLocalNetworkPermission(permission)
          ? decideLocalNetworkAccess(permission, requestingOrigin, deps.origins.app, deps.getBackendUrl())
          : decidePermission(permission, requestingOrigin, deps.origins.app),
      );
    },
    dispose(): void {
      deps.session.setPermissionRequestHandler(null);
      deps.session.setPermissionCheckHandler(null);
    },
  };
}
