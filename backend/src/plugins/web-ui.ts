import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_WEB_UI_DIR } from '../repository-paths.js';

/** Paths the server answers itself: never replaced by the UI's index.html. */
const SERVER_PREFIXES = ['/api', '/ws', '/docs', '/healthz', '/m', '/assets'];

export interface WebUiOptions {
  /** The built UI (index.html plus assets/); defaults to desktop/dist/web. */
  root?: string;
  /** Origins the UI may connect to besides its own (a managed video provider's API, say). */
  extraConnectSources?: string[];
  /** Origins the UI may load scripts from besides its own (a managed sign-in provider, say). */
  extraScriptSources?: string[];
  /** PUBLIC_URL: the UI may open its WebSocket to this server's public address too. */
  publicUrl?: string;
}

/** The WebSocket origin (ws: or wss:) matching an http(s) URL's origin. */
function webSocketOrigin(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`;
}

/**
 * The UI's own policy: scripts only from this server (no eval, no inline script), API calls and
 * the WebSocket back to this server, camera and screen streams as blob/mediastream media.
 * Connections go to this server alone (and the configured providers): `'self'`, which current
 * browsers also match for a WebSocket to the page's own host and port, plus the WebSocket origin
 * of PUBLIC_URL spelled out. Bare `ws:`/`wss:` would let injected script send data to any host.
 */
export function webUiContentSecurityPolicy(options: Pick<WebUiOptions, 'extraConnectSources' | 'extraScriptSources' | 'publicUrl'> = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(options.extraScriptSources ?? [])],
    // Radix positions popovers with inline style attributes; style elements are still limited to this origin or inline.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.publicUrl ? [webSocketOrigin(options.publicUrl)] : []), ...(options.extraConnectSources ?? [])],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Origins the browser must reach when the server runs Stream video or Clerk sign-in. */
export function managedServiceSources(clientConfig: {
  video: string;
  auth: string;
  clerkPublishableKey?: string;
}): Required<Pick<WebUiOptions, 'extraConnectSources' | 'extraScriptSources'>> {
  const connect: string[] = [];
  const script: string[] = [];
  // Stream's coordinator is on stream-io-api.com; its SFUs and location hint on stream-io-video.com.
  if (clientConfig.video === 'stream') {
    connect.push(
      'https://*.stream-io-api.com',
      'wss://*.stream-io-api.com',
      'https://*.stream-io-video.com',
      'wss://*.stream-io-video.com',
      'https://*.getstream.io',
      'wss://*.getstream.io',
    );
  }
  if (clientConfig.auth === 'clerk' && clientConfig.clerkPublishableKey) {
    // A Clerk publishable key is `pk_<env>_` + base64("<frontend api host>$").
    const encoded = clientConfig.clerkPublishableKey.split('_')[2] ?? '';
    const host = Buffer.from(encoded, 'base64').toString('utf8').replace(/\$$/, '');
    if (/^[a-z0-9.-]+$/i.test(host)) {
      connect.push(`https://${host}`);
      script.push(`https://${host}`);
    }
  }
  return { extraConnectSources: connect, extraScriptSources: script };
}

function isServerPath(url: string): boolean {
  const pathname = url.split('?')[0] ?? url;
  return SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Collaro: web UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The Collaro web UI has not been built</h1>
<p>The server is running and its API answers at <code>/api</code>, but there is no browser UI to serve yet.</p>
<p>Build it with <code>npm run build:web</code> and restart the server (or start everything with <code>npm start</code>).</p>
</body></html>`;

/**
 * Serves the built web UI at `/`: hashed assets cached for a year, index.html never cached, and
 * every other page-navigation GET answered with index.html so the client-side router can take it.
 */
export const webUiPlugin = fp(async function webUiPlugin(app: FastifyInstance, options: WebUiOptions) {
  const root = path.resolve(options.root ?? DEFAULT_WEB_UI_DIR);
  const indexPath = path.join(root, 'index.html');
  const csp = webUiContentSecurityPolicy(options);
  if (!existsSync(indexPath)) {
    app.log.warn({ expected: indexPath }, 'The web UI is not built: run `npm run build:web` to serve it at /');
  } else {
    await app.register(fastifyStatic, {
      root: path.join(root, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // Source maps stay with whoever built the UI: they would hand out the original source.
      allowedPath: (pathName) => !/\.map(\.br|\.gz)?$/.test(pathName),
      // The build writes .br and .gz beside each script: sent with Content-Encoding and Vary.
      preCompressed: true,
      // Build output names carry a content hash, so a file at a given URL never changes.
      immutable: true,
      maxAge: '365d',
      cacheControl: true,
    });
  }

  // Re-read when the file changes, so `npm run build:web` while the server runs needs no restart.
  let cachedIndex: { mtimeMs: number; html: string } | null = null;
  const loadIndex = (): string | null => {
    try {
      const mtimeMs = statSync(indexPath).mtimeMs;
      if (!cachedIndex || cachedIndex.mtimeMs !== mtimeMs) cachedIndex = { mtimeMs, html: readFileSync(indexPath, 'utf8') };
      return cachedIndex.html;
    } catch {
      return null;
    }
  };

  const serveIndex = (request: FastifyRequest, reply: FastifyReply) => {
    if (isServerPath(request.url) || !acceptsHtml(request)) return reply.callNotFound();
    const html = loadIndex();
    reply.header('cache-control', 'no-cache').header('content-security-policy', csp).type('text/html; charset=utf-8');
    if (html === null) return reply.code(503).send(MISSING_BUILD_PAGE);
    return reply.send(html);
  };

  app.get('/', { schema: { hide: true } }, serveIndex);
  app.get('/*', { schema: { hide: true } }, serveIndex);
});
