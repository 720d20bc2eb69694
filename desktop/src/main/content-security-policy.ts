/**
 * Collaro's Content-Security-Policy. The renderer talks to exactly one backend (HTTP + WebSocket),
 * plus the managed services a deployment may switch on: Stream video, whose SDK calls its APIs
 * directly, and Clerk sign-in, whose UI script, API and images come from the instance's Frontend API
 * host (named by the server's publishable key) with Cloudflare's bot check in a frame. Remote script
 * is allowed from those two Clerk hosts only, and only when the server signs users in with Clerk.
 */
export const MANAGED_SERVICE_CONNECT_SOURCES = [
  'https://*.stream-io-api.com',
  'wss://*.stream-io-api.com',
  'https://*.stream-io-video.com',
  'wss://*.stream-io-video.com',
] as const;

/** Clerk's bot protection (Cloudflare Turnstile) runs a script and a frame from this host. */
export const CLERK_BOT_PROTECTION_ORIGIN = 'https://challenges.cloudflare.com';
/** Clerk's UI shows avatars and logos from here. */
export const CLERK_IMAGE_ORIGIN = 'https://img.clerk.com';

export interface ContentSecurityPolicyOptions {
  backendUrl: string;
  /** The vite dev server in development; null when serving the built renderer. */
  devServerUrl: string | null;
  /** Clerk's Frontend API host when the server signs users in with Clerk. */
  clerkFrontendApi?: string | null;
}

function webSocketOrigin(httpOrigin: string): string {
  return httpOrigin.replace(/^http/, 'ws');
}

export function buildContentSecurityPolicy({ backendUrl, devServerUrl, clerkFrontendApi = null }: ContentSecurityPolicyOptions): string {
  const backend = new URL(backendUrl).origin;
  const dev = devServerUrl ? new URL(devServerUrl).origin : null;
  const clerk = clerkFrontendApi ? `https://${clerkFrontendApi}` : null;
  const connect = ["'self'", backend, webSocketOrigin(backend), ...MANAGED_SERVICE_CONNECT_SOURCES];
  // The dev server pushes hot updates over its own WebSocket, and React refresh installs an inline preamble.
  const script = ["'self'"];
  const images = ["'self'", 'data:', 'blob:', backend];
  const frames: string[] = [];
  if (clerk) {
    script.push(clerk, CLERK_BOT_PROTECTION_ORIGIN);
    connect.push(clerk);
    images.push(clerk, CLERK_IMAGE_ORIGIN);
    frames.push(CLERK_BOT_PROTECTION_ORIGIN);
  }
  if (dev) {
    connect.push(dev, webSocketOrigin(dev));
    script.push(dev, "'unsafe-inline'");
  }
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': script,
    // Radix and the video SDK position popovers and tiles with inline styles.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': images,
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'frame-src': frames.length > 0 ? frames : ["'none'"],
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
