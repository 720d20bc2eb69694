import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type TestApp } from '../helpers/test-app.js';
import { bundleMeshPage, chromiumAvailable, CHROMIUM_PATH, launchChromium, openMeshPage, type MeshPage } from './chromium-harness.js';
import { createMeetingsWorld, expectStatus, type MeetingsWorld } from './meetings-world.js';

let t: TestApp;
let w: MeetingsWorld;
let origin: string;
let browser: Browser;
let script: string;
const pages: MeshPage[] = [];

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (see STACK.md)`);
  t = await createTestApp();
  w = await createMeetingsWorld(t.app);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  [script, browser] = await Promise.all([bundleMeshPage(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  for (const page of pages) await page.run('leave').catch(() => {});
  await browser?.close();
  await t?.close();
});

async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

describe('two-party call on the built-in mesh, in Chromium', () => {
  it("connects host and invitee through the real signaling, each decoding the other's video", async () => {
    const meeting = await expectStatus(call(t.app, w.host, 'POST', '/api/meetings', { orgId: w.orgId, title: 'Pairing', inviteeIds: [w.invitee.id] }), 201);
    const [hostPage, guestPage] = await Promise.all([openMeshPage(browser, origin, script), openMeshPage(browser, origin, script)]);
    pages.push(hostPage, guestPage);
    const host = hostPage;
    const guest = guestPage;
    await Promise.all([host.run('prepareMedia'), guest.run('prepareMedia')]);
    await Promise.all([host.run('connect', w.host.accessToken), guest.run('connect', w.invitee.accessToken)]);

    const hostJoin = await host.run('join', { meetingId: meeting.id, accessToken: w.host.accessToken });
    expect(hostJoin.participants).toEqual([w.host.id]);
    const guestJoin = await guest.run('join', { meetingId: meeting.id, accessToken: w.invitee.accessToken });
    expect(guestJoin.participants).toEqual([w.host.id, w.invitee.id]);

    const atGuest = await waitFor(
      'frames decoded by the invitee',
      () => guest.run('framesDecoded'),
      (f) => (f[w.host.id] ?? 0) > 5,
    );
    const atHost = await waitFor(
      'frames decoded by the host',
      () => host.run('framesDecoded'),
      (f) => (f[w.invitee.id] ?? 0) > 5,
    );
    expect(Object.keys(atGuest)).toEqual([w.host.id]);
    expect(Object.keys(atHost)).toEqual([w.invitee.id]);
    expect(await guest.run('joinToFirstFrameMs')).toBeGreaterThan(0);

    // The (fake, 1280x720) screen goes out beside the camera, without renegotiating: the invitee
    // keeps decoding the host's camera while the screen arrives.
    const cameraSize = await waitFor(
      'camera video at the invitee',
      () => guest.run('remoteVideoSize', w.host.id),
      (s) => (s?.width ?? 0) > 0,
    );
    expect(cameraSize).toEqual({ width: 640, height: 360 });
    expect(await host.run('shareScreen')).toEqual({ audioMuted: false, videoMuted: false, screenSharing: true });
    await waitFor(
      'screen video at the invitee',
      () => guest.run('remoteScreenSize', w.host.id),
      (s) => s?.width === 1280,
    );
    expect(await guest.run('remoteVideoSize', w.host.id)).toEqual({ width: 640, height: 360 });
    const participants = await expectStatus(call(t.app, w.host, 'GET', `/api/meetings/${meeting.id}`), 200);
    expect(participants.status).toBe('live');
  });
});
