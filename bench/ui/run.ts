/**
 * bench/ui: what a user downloads before the first screen is interactive, and how long that takes.
 *
 * - Critical-path JavaScript, gzipped: every script Chromium fetched between navigation and the
 *   home screen becoming interactive (signed-in user), sizes taken from the built files gzipped at
 *   level 6 (a common server setting). Budget: 250 KiB. The Stream SDK must not be among them.
 * - Page load to interactive home (clock rendered, session restored from the refresh token, data
 *   loaded) in Chromium with an empty cache, against a baseline measured in the same run: loading
 *   the server's smallest HTML page (the join page) the same way. Both are also loaded a second
 *   time in the same browser, the scripts then coming from its cache as on a returning user's visit. Each page notes the moment its
 *   screen is complete itself (a MutationObserver, in the page's own clock), so the figures hold no
 *   DevTools-protocol round trips; the time at which Playwright saw it is printed beside them.
 * Usage: npx tsx bench/ui/run.ts   (BENCH_ROUNDS, default 5)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { makeUser, startHarness } from '../../e2e/harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BUDGET_KIB = 250;

const gzipKiB = (bytes: Buffer) => gzipSync(bytes, { level: 6 }).length / 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function assetFile(url: string): string | null {
  const pathname = new URL(url).pathname;
  return pathname.startsWith('/assets/') ? path.join(WEB_DIR, pathname) : null;
}

type Timeline = { path: string; kind: string; start: number; end: number }[];

/** Label of a request on the way to the home screen: the API route without ids, or `scripts`. */
function phaseOf(entry: Timeline[number]): string | null {
  if (entry.path.startsWith('/assets/') && entry.path.endsWith('.js')) return 'scripts';
  if (!entry.path.startsWith('/api/')) return null;
  return entry.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
}

/** Median start and end (ms after navigation) of each phase over the rounds, in the order they start. */
function phases(timelines: Timeline[], interactive: number[]): Record<string, string> {
  const spans = new Map<string, { start: number[]; end: number[]; requests: number }>();
  for (const timeline of timelines) {
    const round = new Map<string, { start: number; end: number; requests: number }>();
    for (const entry of timeline) {
      const phase = phaseOf(entry);
      if (!phase) continue;
      const span = round.get(phase);
      // Several requests of one kind (scripts, a repeated call) count from the first start to the last end.
      round.set(
        phase,
        span
          ? { start: Math.min(span.start, entry.start), end: Math.max(span.end, entry.end), requests: span.requests + 1 }
          : { start: entry.start, end: entry.end, requests: 1 },
      );
    }
    for (const [phase, span] of round) {
      const all = spans.get(phase) ?? { start: [], end: [], requests: 0 };
      all.start.push(span.start);
      all.end.push(span.end);
      all.requests = Math.max(all.requests, span.requests);
      spans.set(phase, all);
    }
  }
  const rows = [...spans].map(([phase, all]) => ({ phase, start: median(all.start), end: median(all.end), rounds: all.start.length, requests: all.requests }));
  rows.sort((a, b) => a.start - b.start);
  const out: Record<string, string> = {};
  for (const row of rows)
    out[row.phase] =
      `${row.start.toFixed(0)} → ${row.end.toFixed(0)}${row.requests > 1 ? ` (${row.requests} requests)` : ''}${row.rounds < timelines.length ? ` (in ${row.rounds} of ${timelines.length} rounds)` : ''}`;
  out.interactive = median(interactive).toFixed(0);
  return out;
}

const harness = await startHarness({ env: { AUTH_RATE_LIMIT_PER_EMAIL: '100000', AUTH_RATE_LIMIT_PER_IP: '100000' } });
const WEB_DIR = harness.webUiDir;
try {
  const user = makeUser('Bench User');
  const signup = await fetch(`${harness.baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password, name: user.name }),
  });
  const { accessToken } = (await signup.json()) as { accessToken: string };
  await fetch(`${harness.baseUrl}/api/orgs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ name: 'Bench Org' }),
  });

  const freshRefreshToken = async () => {
    const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    return ((await login.json()) as { refreshToken: string }).refreshToken;
  };

  /**
   * Loads `url` in a new context (empty cache) and returns ms until `ready` holds (as the page saw
   * it: the first DOM change after which `complete` is true), plus the scripts fetched by then.
   */
  const measure = async (
    url: string,
    ready: (page: Page) => Promise<unknown>,
    complete: () => boolean,
    refreshToken?: string,
    cache: 'empty' | 'warm' = 'empty',
  ) => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    await context.addInitScript(`(() => {
      const complete = ${complete.toString()};
      const check = () => {
        if (window.__benchReadyAt !== undefined || !complete()) return;
        window.__benchReadyAt = performance.now();
        observer.disconnect();
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { childList: true, subtree: true, characterData: true });
    })()`);
    if (refreshToken) {
      await context.addInitScript((token) => {
        if (!localStorage.getItem('collaro.refreshToken')) localStorage.setItem('collaro.refreshToken', token);
      }, refreshToken);
    }
    const page = await context.newPage();
    if (cache === 'warm') {
      // A returning user's browser holds the scripts from their last visit (they are cached for a year).
      await page.goto(url, { waitUntil: 'commit' });
      await ready(page);
    }
    const scripts = new Set<string>();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.add(request.url());
    });
    await page.goto(url, { waitUntil: 'commit' });
    await ready(page);
    const seenMs = await page.evaluate(() => performance.now());
    const ms = await page.evaluate(() => (window as unknown as { __benchReadyAt?: number }).__benchReadyAt ?? performance.now());
    // When each API request started and ended, and when the last script arrived: where the time goes.
    const timeline = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((entry) => ({
        path: new URL(entry.name).pathname,
        kind: entry.initiatorType,
        start: entry.startTime,
        end: entry.responseEnd,
      })),
    );
    const loaded = [...scripts];
    await context.close();
    return { ms, seenMs, scripts: loaded, timeline };
  };

  const homeReady = async (page: Page) => {
    await page.getByTestId('clock').waitFor();
    await page.getByRole('link', { name: 'New meeting' }).waitFor();
    await page.getByText('Nothing scheduled.').waitFor();
  };
  const signInReady = (page: Page) => page.getByRole('button', { name: 'Sign in' }).waitFor();
  const baselineReady = (page: Page) => page.locator('#open-browser').waitFor();
  // The same conditions, checked inside the page (serialized into it: no outside references).
  const homeComplete = () =>
    document.querySelector('[data-testid="clock"]') !== null &&
    [...document.querySelectorAll('a')].some((link) => link.textContent?.includes('New meeting')) &&
    (document.body?.textContent ?? '').includes('Nothing scheduled.');
  const signInComplete = () => [...document.querySelectorAll('button')].some((button) => button.textContent?.trim() === 'Sign in');
  const baselineComplete = () => document.getElementById('open-browser') !== null;
  const joinPage = '/m/00000000-0000-4000-8000-000000000000';

  // One unmeasured load warms the server (first requests compile routes and open the database).
  await measure('/', homeReady, homeComplete, await freshRefreshToken());

  const home: number[] = [];
  const homeTimelines: Timeline[] = [];
  const signIn: number[] = [];
  const baseline: number[] = [];
  const homeSeen: number[] = [];
  const homeWarm: number[] = [];
  const baselineWarm: number[] = [];
  const baselineSeen: number[] = [];
  let homeScripts: string[] = [];
  let signInScripts: string[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const baselineRun = await measure(joinPage, baselineReady, baselineComplete);
    baseline.push(baselineRun.ms);
    baselineSeen.push(baselineRun.seenMs);
    const homeRun = await measure('/', homeReady, homeComplete, await freshRefreshToken());
    home.push(homeRun.ms);
    homeSeen.push(homeRun.seenMs);
    homeTimelines.push(homeRun.timeline);
    homeScripts = homeRun.scripts;
    baselineWarm.push((await measure(joinPage, baselineReady, baselineComplete, undefined, 'warm')).ms);
    homeWarm.push((await measure('/', homeReady, homeComplete, await freshRefreshToken(), 'warm')).ms);
    const signInRun = await measure('/', signInReady, signInComplete);
    signIn.push(signInRun.ms);
    signInScripts = signInRun.scripts;
  }

  const sizeOf = (urls: string[]) =>
    urls.map((url) => {
      const file = assetFile(url);
      const bytes = file ? readFileSync(file) : Buffer.alloc(0);
      return {
        file: file ? path.basename(file) : url,
        rawKiB: bytes.length / 1024,
        gzipKiB: gzipKiB(bytes),
        stream: /@stream-io|stream-video/i.test(bytes.toString('latin1')),
      };
    });
  const homeFiles = sizeOf(homeScripts);
  const signInFiles = sizeOf(signInScripts);
  const homeGzip = homeFiles.reduce((sum, f) => sum + f.gzipKiB, 0);
  const signInGzip = signInFiles.reduce((sum, f) => sum + f.gzipKiB, 0);
  const css = readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8').match(/href="(\/assets\/[^"]+\.css)"/g) ?? [];
  const cssGzip = css.reduce((sum, attr) => sum + gzipKiB(readFileSync(path.join(WEB_DIR, attr.slice(6, -1)))), 0);

  const result = {
    homePhasesMs: phases(homeTimelines, home),
    criticalPathJsGzipKiB: {
      home: Number(homeGzip.toFixed(1)),
      signIn: Number(signInGzip.toFixed(1)),
      budget: BUDGET_KIB,
      ratioToBudget: Number((homeGzip / BUDGET_KIB).toFixed(2)),
    },
    criticalPathCssGzipKiB: Number(cssGzip.toFixed(1)),
    streamSdkOnCriticalPath: homeFiles.some((f) => f.stream) || signInFiles.some((f) => f.stream),
    loadToInteractiveMs: {
      home: Number(median(home).toFixed(0)),
      signIn: Number(median(signIn).toFixed(0)),
      baselineJoinPage: Number(median(baseline).toFixed(0)),
      ratioHomeToBaseline: Number((median(home) / median(baseline)).toFixed(2)),
      rounds: ROUNDS,
    },
    /** The same pages loaded again in the same browser: the scripts come from its cache, as on a returning user's visit. */
    loadToInteractiveWarmCacheMs: {
      home: Number(median(homeWarm).toFixed(0)),
      baselineJoinPage: Number(median(baselineWarm).toFixed(0)),
      ratioHomeToBaseline: Number((median(homeWarm) / median(baselineWarm)).toFixed(2)),
    },
    /** The same loads as Playwright saw them complete (the figures this bench printed before). */
    seenByPlaywrightMs: {
      home: Number(median(homeSeen).toFixed(0)),
      baselineJoinPage: Number(median(baselineSeen).toFixed(0)),
      ratioHomeToBaseline: Number((median(homeSeen) / median(baselineSeen)).toFixed(2)),
    },
    homeScripts: homeFiles.map((f) => `${f.file} ${f.gzipKiB.toFixed(1)} KiB gz`),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `UI critical path: ${homeGzip.toFixed(1)} KiB gzipped JS before home is interactive (budget ${BUDGET_KIB} KiB, ratio ${result.criticalPathJsGzipKiB.ratioToBudget}); ` +
      `home interactive in ${result.loadToInteractiveMs.home} ms vs ${result.loadToInteractiveMs.baselineJoinPage} ms for the join page (x${result.loadToInteractiveMs.ratioHomeToBaseline}), ` +
      `with the scripts cached ${result.loadToInteractiveWarmCacheMs.home} vs ${result.loadToInteractiveWarmCacheMs.baselineJoinPage} ms (x${result.loadToInteractiveWarmCacheMs.ratioHomeToBaseline}); ` +
      `Stream SDK on the critical path: ${result.streamSdkOnCriticalPath ? 'YES' : 'no'}`,
  );
  if (homeGzip > BUDGET_KIB || result.streamSdkOnCriticalPath) process.exitCode = 1;
} finally {
  await harness.stop();
}
