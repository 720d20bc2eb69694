import { DESKTOP_APP_ORIGIN, DESKTOP_APP_SCHEME, type DesktopWindowKind } from '@collaro/shared';

/** The picker and the sharing bar are served from their own host so they never share the app's origin or permissions. */
export const PICKER_HOST = 'picker';
export const PICKER_ORIGIN = `${DESKTOP_APP_SCHEME}://${PICKER_HOST}`;

/** Where each of Collaro's own windows is loaded from. */
export interface AppOrigins {
  /** The renderer: `collaro-app://app` when packaged, the vite dev server's origin in development. */
  readonly app: string;
  readonly picker: string;
}

export function createAppOrigins(devServerUrl: string | null): AppOrigins {
  const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
  return { app: devOrigin ?? DESKTOP_APP_ORIGIN, picker: PICKER_ORIGIN };
}

export function originForWindow(kind: DesktopWindowKind, origins: AppOrigins): string {
  return kind === 'app' ? origins.app : origins.picker;
}

/**
 * The origin of a URL, including Collaro's own scheme: WHATWG URL reports "null" as the origin of
 * non-special schemes, which would make every custom-scheme page look alike.
 */
export function originOf(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  if (url.protocol === `${DESKTOP_APP_SCHEME}:` && url.host !== '' && !url.username && !url.password && !url.port) {
    return `${url.protocol}//${url.host.toLowerCase()}`;
  }
  return null;
}
