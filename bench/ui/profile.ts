/**
 * bench/ui/profile: where a signed-in user's home screen load spends the page's main thread. Loads
 * the home screen (empty cache) with Chromium's sampling profiler running from navigation until
 * the screen is complete, then prints the busy time by script and the heaviest functions by self
 * time. Not a ratio: a map for bench/ui's figure.
 * Usage: npx tsx bench/ui/profile.ts [loads]   (default 3; the profiles are added together)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map-js';
import { makeUser, startHarness } from '../../e2e/harness.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package (or the app's own folder) a position in a built script comes from, read from its hidden source map. */
function originOf(maps: Map<string, SourceMapConsumer | null>, webDir: string, script: string, line: number, column: number): string {
  if (!maps.has(script)) {
    const file = path.join(webDir, `${script}.map`);
    maps.set(script, existsSync(file) ? new SourceMapConsumer(JSON.parse(readFileSync(file, 'utf8'))) : null);
  }
  // The profile counts lines from 0, source maps from 1.
  const source = maps.get(script)?.originalPositionFor({ line: line + 1, column, bias: SourceMapConsumer.GREATEST_LOWER_BOUND }).source;
  if (!source) return script;
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  if (packageName) return packageName;
  // The app's own code by feature folder (desktop/src/renderer/src/features/home → app features/home), shared's by file.
  const app = /renderer\/src\/(.*)$/.exec(source)?.[1];
  if (app) return `app ${app.split('/').slice(0, 2).join('/')}`;
  return `shared ${source.replace(/^.*?shared\/src\//, '')}`;
}

const loads = Number(process.argv[2] ?? 3);
const harness = await startHarness({ env: { AUTH_RATE_LIMIT_PER_EMAIL: '100000', AUTH_RATE_LIMIT_PER_IP: '100000' } });
try {
  const user = makeUser('Profile User');
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${harness.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((response) => response.json() as Promise<{ accessToken: string; refreshToken: string }>);
  const { accessToken } = await post('/api/auth/signup', { email: user.email, password: user.password, name: user.name });
  await post('/api/orgs', { name: 'Profile Org' }, accessToken);

  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const maps = new Map<string, SourceMapConsumer | null>();
  let total = 0;
  const homeReady = async (page: Page) => {
    await page.getByTestId('clock').waitFor();
    await page.getByText('Nothing scheduled.').waitFor();
  };
  for (let load = 0; load <= loads; load += 1) {
    const { refreshToken } = await post('/api/auth/login', { email: user.email, password: user.password });
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    await context.addInitScript((token) => localStorage.setItem('collaro.refreshToken', token), refreshToken);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.goto('/', { waitUntil: 'commit' });
    await homeReady(page);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    await context.close();
    // The first load warms the server; only the others count.
    if (load === 0) continue;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const node = nodes.get(id)!;
      const ms = (profile.timeDeltas[index] ?? 0) / 1000 / loads;
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') {
        byScript.set(functionName, (byScript.get(functionName) ?? 0) + ms);
        return;
      }
      total += ms;
      const script = url ? new URL(url).pathname : `(${functionName || 'native'})`;
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
      const origin = script.startsWith('/assets/') ? originOf(maps, harness.webUiDir, script, lineNumber, columnNumber) : script;
      byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + ms);
      const key = `${functionName || '(anonymous)'} ${origin}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    });
  }
  const rows = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`)
      .join('\n');
  console.log(`home screen load, main thread busy in JavaScript: ${total.toFixed(0)} ms per load (mean of ${loads})`);
  console.log(`by script (plus idle and the engine's own work):\n${rows(byScript, 15)}`);
  console.log(`by package or app folder (self time, from the source maps):\n${rows(byOrigin, 25)}`);
  console.log(`heaviest functions by self time:\n${rows(byFunction, 30)}`);
} finally {
  await harness.stop();
}
