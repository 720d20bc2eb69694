import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { init as initModuleLexer, parse as parseModule } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a browser must download before Collaro's first screen can run, read from the real web build:
 * the entry script and everything it imports statically (lazily loaded screens and SDKs excluded).
 * The budget is the one bench/ui measures in Chromium; this catches a heavy import without a browser.
 */
const BUDGET_KIB = 250;
const DESKTOP_DIR = fileURLToPath(new URL('../..', import.meta.url));
const REPO_ROOT = path.join(DESKTOP_DIR, '..');

let outDir: string;
let html: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'collaro-web-size-'));
  execFileSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'vite.web.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    // Vitest sets NODE_ENV=test, which would bundle React's development build and inflate every size.
    { cwd: DESKTOP_DIR, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  html = await readFile(path.join(outDir, 'index.html'), 'utf8');
  await initModuleLexer;
}, 240_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const assetPath = (url: string) => path.join(outDir, url.replace(/^\//, ''));

/** The entry and every script it reaches through static imports, as `/assets/…` URLs. */
async function firstScreenScripts(): Promise<Map<string, Buffer>> {
  const entry = /<script type="module" crossorigin src="(\/assets\/index-[^"]+)"><\/script>/.exec(html)?.[1];
  if (!entry) throw new Error(`index.html has no module entry script:\n${html}`);
  const found = new Map<string, Buffer>();
  const pending = [entry];
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (found.has(url)) continue;
    const code = await readFile(assetPath(url));
    found.set(url, code);
    const [imports] = parseModule(code.toString('utf8'));
    // d === -1: a static import, fetched before the importing module runs; dynamic ones load later.
    for (const { n: specifier, d } of imports) {
      if (d !== -1 || !specifier) continue;
      pending.push(path.posix.join(path.posix.dirname(url), specifier));
    }
  }
  return found;
}

const gzipKiB = (bytes: Buffer) => gzipSync(bytes, { level: 6 }).length / 1024;

describe('the first screen of the web build', () => {
  it(`needs at most ${BUDGET_KIB} KiB of gzipped JavaScript, without the Stream or Clerk SDKs`, async () => {
    const scripts = await firstScreenScripts();
    const sizes = [...scripts].map(([url, code]) => ({ url, kib: gzipKiB(code) }));
    const total = sizes.reduce((sum, { kib }) => sum + kib, 0);
    const listing = sizes.map(({ url, kib }) => `${url} ${kib.toFixed(1)} KiB`).join('\n');
    expect(total, `first-screen scripts (gzip -6):\n${listing}\ntotal ${total.toFixed(1)} KiB`).toBeLessThanOrEqual(BUDGET_KIB);
    for (const [url, code] of scripts) {
      const text = code.toString('latin1');
      expect(/@stream-io|stream-video/i.test(text), `${url} carries the Stream SDK`).toBe(false);
      expect(text.includes('clerk.browser') || text.includes('@clerk/clerk-js'), `${url} carries Clerk's SDK`).toBe(false);
    }
  });

  it('announces every first-screen script in the page, so none waits for another to arrive before it is requested', async () => {
    const scripts = await firstScreenScripts();
    const announced = new Set([...html.matchAll(/<(?:script type="module"|link rel="modulepreload") crossorigin (?:src|href)="([^"]+)"/g)].map((m) => m[1]));
    expect([...scripts.keys()].filter((url) => !announced.has(url))).toEqual([]);
  });

  it("restores a returning user's session from a script of its own that runs before the app's and waits for none of it", async () => {
    const moduleScripts = [...html.matchAll(/<script type="module" crossorigin src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
    expect(moduleScripts).toHaveLength(2);
    const [early, app] = moduleScripts as [string, string];
    expect(early).toMatch(/^\/assets\/early-session-[\w-]+\.js$/);
    expect(app).toMatch(/^\/assets\/index-/);
    const [earlyImports] = parseModule((await readFile(assetPath(early))).toString('utf8'));
    expect(earlyImports.map((entry) => entry.n)).toEqual([]);
    // The app takes over the refresh the early script started: it must import that very module, not a copy.
    const scripts = await firstScreenScripts();
    expect([...scripts.keys()]).toContain(early);
    expect(gzipKiB(scripts.get(early)!)).toBeLessThan(3);
  });

  it('asks the server for its configuration while the scripts load', () => {
    expect(html).toMatch(/<link rel="preload" href="\/api\/config" as="fetch" crossorigin="anonymous">/);
  });
});
