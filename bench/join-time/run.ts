/**
 * bench/join-time: for a 1:1 call on Collaro's built-in mesh in Chromium, the time from the click on
 * Join to the first decoded video frame of the other participant: the meeting screen's own join
 * (room-page.ts: the offer made ahead, POST /api/meetings/:id/join, then the real room's session
 * entering the room over the already-open gateway socket; without React's rendering), against a
 * bare RTCPeerConnection call
 * between two pages (signaling relayed by this process) measured in the same run, in interleaved
 * rounds. Prints medians, the ratio (target: at most 1.2x), and when each step of the join happened
 * (median ms after the join request: HTTP join answered, offer sent, room entered, answer received,
 * connected, first frame), beside the same steps of the bare call.
 * Usage: npx tsx bench/join-time/run.ts [rounds]   (default 7). Needs /usr/bin/chromium.
 * BENCH_OFFER_AHEAD=0 joins without the offer made ahead (the room before it used one).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser } from '../../backend/test/helpers/chromium.js';
import { launchChromium, openMeshPage } from '../../backend/test/meetings/chromium-harness.js';

const rounds = Number(process.argv[2] ?? 7);
const offerAhead = process.env.BENCH_OFFER_AHEAD !== '0';

/** The page joining as the meeting screen does; it answers to the same calls as the mesh test page. */
function bundleRoomPage() {
  return bundleForBrowser(fileURLToPath(new URL('./room-page.ts', import.meta.url)));
}

function bundleBarePage() {
  return bundleForBrowser(fileURLToPath(new URL('./bare-page.ts', import.meta.url)));
}

async function openBarePage(browser: Browser, origin: string, script: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`${origin}/__bare/page.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><script src="/__bare/page.js"></script></body></html>' }),
  );
  await page.route(`${origin}/__bare/page.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  return page;
}

async function poll<T>(probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('no remote frame in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type BareWindow = { bare: Record<string, (...args: unknown[]) => unknown> };

type Milestones = Record<string, number>;
/** When each description left or arrived, on the clock all pages share. */
type SignalTimes = Record<string, number>;
interface Round {
  ms: number;
  milestones: Milestones;
  /** The offer/answer hand-shake split into its legs (ms). */
  legs: Record<string, number>;
}

const LEGS = ['offer reaches the other side', 'the other side answers', 'answer comes back'] as const;

function handshakeLegs(joining: SignalTimes, answering: SignalTimes): Record<string, number> {
  const legs: Record<string, number> = {};
  const span = (name: (typeof LEGS)[number], from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) legs[name] = to - from;
  };
  span(LEGS[0], joining['offer sent'], answering['offer received']);
  span(LEGS[1], answering['offer received'], answering['answer sent']);
  span(LEGS[2], answering['answer sent'], joining['answer received']);
  return legs;
}

async function bareRound(browser: Browser, origin: string, script: string): Promise<Round> {
  const [caller, callee] = await Promise.all([openBarePage(browser, origin, script), openBarePage(browser, origin, script)]);
  const deliver = (to: Page) => (message: unknown) => to.evaluate((m) => (globalThis as unknown as BareWindow).bare.receive!(m), message).then(() => undefined);
  await caller.exposeFunction('relay', deliver(callee));
  await callee.exposeFunction('relay', deliver(caller));
  for (const page of [caller, callee]) {
    await page.goto(`${origin}/__bare/page.html`);
    await page.waitForFunction(() => 'bare' in globalThis);
    await page.evaluate(() => (globalThis as unknown as BareWindow).bare.prepareMedia!());
  }
  await caller.evaluate(() => (globalThis as unknown as BareWindow).bare.start!());
  const ms = await poll(() => caller.evaluate(() => (globalThis as unknown as BareWindow).bare.startToFirstFrameMs!() as number | null));
  const milestones = await caller.evaluate(() => (globalThis as unknown as BareWindow).bare.milestones!() as Milestones);
  const [callerTimes, calleeTimes] = await Promise.all(
    [caller, callee].map((page) => page.evaluate(() => (globalThis as unknown as BareWindow).bare.signalTimes!() as SignalTimes)),
  );
  for (const page of [caller, callee]) {
    await page.evaluate(() => (globalThis as unknown as BareWindow).bare.close!());
    await page.context().close();
  }
  return { ms, milestones, legs: handshakeLegs(callerTimes!, calleeTimes!) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface BenchServer {
  origin: string;
  orgId: string;
  host: { id: string; accessToken: string };
  invitee: { id: string; accessToken: string };
}

const server = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let browser: Browser | undefined;
try {
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { origin, orgId, host: hostUser, invitee } = JSON.parse(firstLine) as BenchServer;
  const [meshScript, bareScript, launched] = await Promise.all([bundleRoomPage(), bundleBarePage(), launchChromium()]);
  browser = launched;

  async function api(user: { accessToken: string }, method: string, path: string, body?: unknown) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${user.accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<{ id: string }>;
  }

  async function meshRound(): Promise<Round> {
    const meeting = await api(hostUser, 'POST', '/api/meetings', { orgId, title: 'Bench', inviteeIds: [invitee.id] });
    const [host, guest] = await Promise.all([openMeshPage(browser!, origin, meshScript), openMeshPage(browser!, origin, meshScript)]);
    await Promise.all([host.run('prepareMedia'), guest.run('prepareMedia')]);
    await Promise.all([host.run('connect', hostUser.accessToken), guest.run('connect', invitee.accessToken)]);
    const join = (page: typeof host, accessToken: string) =>
      page.page.evaluate((input) => (globalThis as unknown as { collaroMesh: { join(i: typeof input): Promise<unknown> } }).collaroMesh.join(input), {
        meetingId: meeting.id,
        accessToken,
        offerAhead,
      });
    await join(host, hostUser.accessToken);
    await join(guest, invitee.accessToken);
    const ms = await poll(() => guest.run('joinToFirstFrameMs'));
    const milestones = (await guest.run('milestones')) as Milestones;
    const signalTimes = (page: typeof host) =>
      page.page.evaluate(() => (globalThis as unknown as { collaroMesh: { signalTimes(): SignalTimes } }).collaroMesh.signalTimes());
    const legs = handshakeLegs(await signalTimes(guest), await signalTimes(host));
    if (process.env.BENCH_VERBOSE) console.log((await guest.run('events')).join(' | '));
    for (const page of [host, guest]) {
      await page.run('leave');
      await page.context.close();
    }
    await api(hostUser, 'POST', `/api/meetings/${meeting.id}/end`);
    return { ms, milestones, legs };
  }

  // One untimed round of each warms Chromium's codecs and the server's code paths.
  await meshRound();
  await bareRound(browser, origin, bareScript);
  const meshRounds: Round[] = [];
  const bareRounds: Round[] = [];
  for (let round = 0; round < rounds; round += 1) {
    meshRounds.push(await meshRound());
    bareRounds.push(await bareRound(browser, origin, bareScript));
  }
  const mesh = meshRounds.map((round) => round.ms);
  const bare = bareRounds.map((round) => round.ms);
  const meshMedian = median(mesh);
  const bareMedian = median(bare);
  const step = (list: Round[], name: string) => {
    const values = list.map((round) => round.milestones[name]).filter((value): value is number => value !== undefined);
    return values.length === 0 ? '-' : median(values).toFixed(0);
  };
  const format = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  console.log(`join-time, ${rounds} interleaved rounds (ms, Join -> first decoded remote frame; offer made ahead: ${offerAhead ? 'yes' : 'no'}):`);
  console.log(`  collaro mesh           : median ${meshMedian.toFixed(0)} ms  [${format(mesh)}]`);
  console.log(`  bare RTCPeerConnection : median ${bareMedian.toFixed(0)} ms  [${format(bare)}]`);
  console.log(`  ratio: ${(meshMedian / bareMedian).toFixed(2)}x (target <= 1.2x)`);
  console.log('  steps (median ms after the join request; the bare call has no HTTP join or room):');
  console.log(`    ${'step'.padEnd(20)} ${'mesh'.padStart(6)} ${'bare'.padStart(6)}`);
  for (const name of ['join response', 'offer sent', 'in the room', 'answer received', 'connected', 'first remote frame']) {
    console.log(`    ${name.padEnd(20)} ${step(meshRounds, name).padStart(6)} ${step(bareRounds, name).padStart(6)}`);
  }
  const leg = (list: Round[], name: string) => {
    const values = list.map((round) => round.legs[name]).filter((value): value is number => value !== undefined);
    return values.length === 0 ? '-' : median(values).toFixed(0);
  };
  console.log('  the offer/answer hand-shake (median ms; the bare call relays through this process, the mesh through the server):');
  for (const name of LEGS) console.log(`    ${name.padEnd(30)} ${leg(meshRounds, name).padStart(6)} ${leg(bareRounds, name).padStart(6)}`);
} finally {
  await browser?.close();
  server.stdin!.end();
}
