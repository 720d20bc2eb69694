import { createClerkBridge, type ClerkBridge, type TokenStorage } from '@clerk/electron';
import { DESKTOP_APP_HOST, DESKTOP_APP_SCHEME } from '@collaro/shared';
import { APP_PROTOCOL_SCHEME } from './app-protocol.js';

/**
 * Collaro's one use of @clerk/electron, whose README calls it not yet production-ready: kept here.
 *
 * The bridge lets Clerk sign users in from the app window. Clerk's client token lives in main (the
 * page's own origin cannot keep Clerk's cookies), and OAuth sign-in runs in the system browser and
 * comes back to collaro-app://app/. Given the app's renderer scheme and host, the bridge answers
 * every channel its preload exposes (token cache and OAuth transport). It also registers that scheme
 * as privileged: Electron honours only one registerSchemesAsPrivileged call, so this is the app's
 * only one, and it carries every privilege Collaro's own protocol needs.
 *
 * Call before `ready`, once the single-instance lock is held (Collaro manages that lock).
 */
export function startClerkBridge(storage: TokenStorage): ClerkBridge {
  return createClerkBridge({
    storage,
    renderer: { scheme: DESKTOP_APP_SCHEME, host: DESKTOP_APP_HOST, privileges: APP_PROTOCOL_SCHEME.privileges },
    manageSingleInstanceLock: false,
  });
}
