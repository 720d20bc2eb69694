import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DESKTOP_APP_HOST, DESKTOP_APP_SCHEME } from '@collaro/shared';
import type { CustomScheme, Protocol } from 'electron';
import { PICKER_HOST } from './app-origins.js';

/**
 * Collaro's renderer is served from `collaro-app://app/...` rather than file://, so it has a real
 * origin (CORS on the backend, permissions, CSP) and cannot read arbitrary files from disk.
 */
export const APP_PROTOCOL_SCHEME: CustomScheme = {
  scheme: DESKTOP_APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.webm': 'video/webm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ProtocolSite {
  /** The built files of this host. */
  root: string;
  /** Unknown extension-less paths serve index.html, so client-side routes survive a reload. */
  spaFallback: boolean;
  contentSecurityPolicy: () => string;
}

export type AssetResolution =
  { kind: 'file'; filePath: string; fallback: string | null; site: ProtocolSite } | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/** Maps a request URL to a file inside the site's root, refusing anything that would leave it. */
export function resolveAppAsset(requestUrl: string, sites: Readonly<Record<string, ProtocolSite>>): AssetResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400, reason: 'Malformed URL' };
  }
  if (url.protocol !== `${DESKTOP_APP_SCHEME}:`) return { kind: 'refused', status: 400, reason: 'Wrong scheme' };
  const site = sites[url.host.toLowerCase()];
  if (!site) return { kind: 'refused', status: 404, reason: `Unknown host ${url.host}` };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'refused', status: 400, reason: 'Malformed path' };
  }
  // Encoded separators and dot segments survive URL parsing and only appear after decoding.
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (pathname.includes('\0') || pathname.includes('\\') || segments.some((segment) => segment === '..' || segment === '.')) {
    return { kind: 'refused', status: 403, reason: 'Path leaves the application directory' };
  }
  const root = path.resolve(site.root);
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const filePath = path.resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + path.sep)) {
    return { kind: 'refused', status: 403, reason: 'Path leaves the application directory' };
  }
  const isRoute = path.extname(relative) === '';
  return { kind: 'file', filePath, fallback: site.spaFallback && isRoute ? path.join(root, 'index.html') : null, site };
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function securityHeaders(site: ProtocolSite, contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': site.contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  };
}

/** Answers one request of the app protocol; never throws, so a bad request cannot take the app down. */
export async function serveAppRequest(requestUrl: string, sites: Readonly<Record<string, ProtocolSite>>): Promise<Response> {
  const resolution = resolveAppAsset(requestUrl, sites);
  if (resolution.kind === 'refused') {
    return new Response(resolution.reason, { status: resolution.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const candidate = (await isFile(resolution.filePath)) ? resolution.filePath : resolution.fallback;
  if (!candidate || !(await isFile(candidate))) {
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const body = await readFile(candidate);
  const contentType = CONTENT_TYPES[path.extname(candidate).toLowerCase()] ?? 'application/octet-stream';
  return new Response(new Uint8Array(body), { status: 200, headers: securityHeaders(resolution.site, contentType) });
}

export interface AppProtocolDeps {
  protocol: Pick<Protocol, 'handle' | 'unhandle'>;
  sites: Readonly<Record<string, ProtocolSite>>;
}

export function createAppProtocolService({ protocol, sites }: AppProtocolDeps) {
  return {
    start(): void {
      protocol.handle(DESKTOP_APP_SCHEME, (request) => serveAppRequest(request.url, sites));
    },
    dispose(): void {
      protocol.unhandle(DESKTOP_APP_SCHEME);
    },
  };
}

export const APP_SITE_HOSTS = { app: DESKTOP_APP_HOST, picker: PICKER_HOST } as const;
