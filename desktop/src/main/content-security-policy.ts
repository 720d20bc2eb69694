/**
 * Collaro's Content-Security-Policy. The renderer talks to exactly one backend (HTTP + WebSocket),
 * plus the managed services a deployment may switch on (Stream video, Clerk sign-in) whose APIs the
 * browser SDKs call directly. No remote script is ever allowed.
 */
export const MANAGED_SERVICE_CONNECT_SOURCES = [
  'https://*.stream-io-api.com',
  'wss://*.stream-io-api.com',
  'https://*.stream-io-video.com',
  'wss://*.stream-io-video.com',
  'https://*.clerk.accounts.dev',
  'https://*.clerk.com',
] as const;

export interface ContentSecurityPolicyOptions {
  backendUrl: string;
  /** The vite dev server in development; null when serving the built renderer. */
  devServerUrl: string | null;
}

function webSocketOrigin(httpOrigin: string): string {
  return httpOrigin.replace(/^http/, 'ws');
}

export function buildContentSecurityPolicy({ backendUrl, devServerUrl }: ContentSecurityPolicyOptions): string {
  const backend = new URL(backendUrl).origin;
  const dev = devServerUrl ? new URL(devServerUrl).origin : null;
  const connect = ["'self'", backend, webSocketOrigin(backend), ...MANAGED_SERVICE_CONNECT_SOURCES];
  // The dev server pushes hot updates over its own WebSocket, and React refresh installs an inline preamble.
  const script = ["'self'"];
  if (dev) {
    connect.push(dev, webSocketOrigin(dev));
    script.push(dev, "'unsafe-inline'");
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': script,
    // Radix and the video SDK position popovers and tiles with inline styles.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', backend],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The picker and the sharing bar load nothing but their own files. */
export const PICKER_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
