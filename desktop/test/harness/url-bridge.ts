/**
 * Chromium cannot load `collaro-app://app/...` without Electron, so each host of a privileged scheme
 * gets a stand-in origin that the harness routes to main's own protocol handler:
 * `collaro-app://app/x` is shown at `https://app.collaro-app.localhost/x`. A secure scheme maps to
 * https (a secure context, where mixed content is blocked, as on the real scheme), any other to http.
 * Everything main sees (getURL, senderFrame.url, will-navigate) is translated back.
 */
export interface PrivilegedScheme {
  scheme: string;
  privileges: Record<string, boolean>;
}

const BRIDGE_DOMAIN = 'localhost';
const INSECURE_BRIDGE_DOMAIN = 'invalid';

export class UrlBridge {
  #schemes: PrivilegedScheme[] = [];

  setSchemes(schemes: PrivilegedScheme[]): void {
    this.#schemes = schemes.filter((scheme) => scheme.privileges['standard']);
  }

  get schemes(): readonly PrivilegedScheme[] {
    return this.#schemes;
  }

  /** The host suffixes the harness serves itself, so pages never reach the network for them. */
  routedHostSuffixes(): string[] {
    return this.#schemes.map((scheme) => `${scheme.scheme}.${scheme.privileges['secure'] ? BRIDGE_DOMAIN : INSECURE_BRIDGE_DOMAIN}`);
  }

  /** `collaro-app://app/x` -> `https://app.collaro-app.localhost/x`; null for URLs Chromium loads itself. */
  toBridged(realUrl: string): string | null {
    let url: URL;
    try {
      url = new URL(realUrl);
    } catch {
      return null;
    }
    const scheme = this.#schemes.find((candidate) => `${candidate.scheme}:` === url.protocol);
    if (!scheme) return null;
    const secure = Boolean(scheme.privileges['secure']);
    return `${secure ? 'https' : 'http'}://${url.host}.${scheme.scheme}.${secure ? BRIDGE_DOMAIN : INSECURE_BRIDGE_DOMAIN}${url.pathname}${url.search}${url.hash}`;
  }

  /** The inverse of `toBridged`; other URLs come back unchanged. */
  toReal(bridgedUrl: string): string {
    let url: URL;
    try {
      url = new URL(bridgedUrl);
    } catch {
      return bridgedUrl;
    }
    for (const scheme of this.#schemes) {
      const suffix = `.${scheme.scheme}.${scheme.privileges['secure'] ? BRIDGE_DOMAIN : INSECURE_BRIDGE_DOMAIN}`;
      if (url.hostname.endsWith(suffix) && !url.port) {
        const host = url.hostname.slice(0, -suffix.length);
        return `${scheme.scheme}://${host}${url.pathname}${url.search}${url.hash}`;
      }
    }
    return bridgedUrl;
  }

  isBridged(url: string): boolean {
    return this.toReal(url) !== url;
  }

  /** The stand-in origin of a real origin, for permissions Chromium keys by origin. */
  bridgedOrigin(realUrl: string): string | null {
    const bridged = this.toBridged(realUrl);
    return bridged ? new URL(bridged).origin : null;
  }
}
