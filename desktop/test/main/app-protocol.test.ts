import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAppAsset, serveAppRequest, type ProtocolSite } from '../../src/main/app-protocol.js';

const base = mkdtempSync(path.join(tmpdir(), 'collaro-protocol-'));
const root = path.join(base, 'renderer');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Collaro</title>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("collaro")');
writeFileSync(path.join(base, 'secret.txt'), 'outside the app');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const sites: Record<string, ProtocolSite> = {
  app: { root, spaFallback: true, contentSecurityPolicy: () => "default-src 'none'" },
  picker: { root, spaFallback: false, contentSecurityPolicy: () => "default-src 'none'" },
};

describe('collaro-app:// protocol', () => {
  it('serves the built renderer with its CSP and content type', async () => {
    const response = await serveAppRequest('collaro-app://app/assets/app.js', sites);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await response.text()).toBe('console.log("collaro")');
  });

  it('falls back to index.html for client-side routes, but not for missing files', async () => {
    const route = await serveAppRequest('collaro-app://app/orgs/1/channels/2', sites);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Collaro</title>');
    expect((await serveAppRequest('collaro-app://app/assets/missing.js', sites)).status).toBe(404);
    expect((await serveAppRequest('collaro-app://picker/some/route', sites)).status).toBe(404);
  });

  it('refuses every way out of the application directory', async () => {
    // Percent-encoded dot segments are resolved by URL parsing itself and land inside the root.
    const encodedDots = await serveAppRequest('collaro-app://app/%2e%2e/secret.txt', sites);
    expect(encodedDots.status).toBe(404);
    for (const url of [
      'collaro-app://app/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      'collaro-app://app/..%2fsecret.txt',
      'collaro-app://app/assets/..%5c..%5csecret.txt',
      'collaro-app://app/%00index.html',
    ]) {
      const response = await serveAppRequest(url, sites);
      expect(response.status, url).toBe(403);
      expect(await response.text()).not.toContain('outside the app');
    }
    // Plain dot segments are resolved by URL parsing itself and stay inside the root.
    const normalised = resolveAppAsset('collaro-app://app/../../secret.txt', sites);
    expect(normalised.kind === 'file' && normalised.filePath).toBe(path.join(root, 'secret.txt'));
  });

  it('answers unknown hosts, other schemes and broken escapes without throwing', async () => {
    expect((await serveAppRequest('collaro-app://elsewhere/index.html', sites)).status).toBe(404);
    expect((await serveAppRequest('https://app/index.html', sites)).status).toBe(400);
    expect((await serveAppRequest('collaro-app://app/%E0%A4%A', sites)).status).toBe(400);
  });
});
