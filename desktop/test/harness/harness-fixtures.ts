import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DesktopApp } from './desktop-app.js';
import type { DesktopHarness, LaunchOptions, Profile } from './desktop-harness.js';
import type { MenuItemSnapshot } from './harness-types.js';

export const POLL = { timeout: 15_000 } as const;

let sequence = 0;

export interface HarnessUser {
  name: string;
  email: string;
  password: string;
}

/** A user with a unique email, so runs against one database never collide. */
export function makeUser(name: string): HarnessUser {
  sequence += 1;
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}.${Date.now()}.${sequence}@desktop.collaro.test`,
    password: 'correct horse battery staple',
  };
}

/** Signs up through the real form of the app window and waits for the home screen. */
export async function signUpInApp(page: Page, user: HarnessUser): Promise<void> {
  await page.getByRole('link', { name: /create an account|sign up/i }).click();
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('clock').waitFor();
}

/**
 * A profile that has been through first run with an account on the harness's backend, as a returning
 * user's machine: the server address saved and a session in the app page's storage.
 */
export async function signedInProfile(
  harness: DesktopHarness,
  name: string,
): Promise<{ profile: Profile; user: HarnessUser; accessToken: string; userId: string; member: Member }> {
  const user = makeUser(name);
  const session = await harness.backend.request('POST', '/api/auth/signup', { body: user });
  const profile = harness.newProfile();
  profile.seedSettings({ backendUrl: harness.backendUrl, backendUrlConfirmed: true });
  profile.seedLocalStorage({ 'collaro.refreshToken': session.refreshToken });
  const member = { userId: session.user.id as string, email: user.email, accessToken: session.accessToken as string };
  return { profile, user, accessToken: session.accessToken, userId: session.user.id, member };
}

/** Launches a returning user's app and waits for the signed-in home screen. */
export async function launchSignedIn(harness: DesktopHarness, profile: Profile, options: LaunchOptions = {}): Promise<{ app: DesktopApp; page: Page }> {
  const app = await harness.launch({ ...options, profile });
  const page = await app.appWindow();
  await page.getByTestId('clock').waitFor();
  return { app, page };
}

/** Every harness test ends with this: a broken Electron rule anywhere in the run fails the test. */
export function expectNoViolations(...apps: (DesktopApp | undefined)[]): void {
  const violations = apps.flatMap((app) => app?.violations ?? []);
  expect(violations, violations.join('\n')).toEqual([]);
}

export interface Member {
  userId: string;
  email: string;
  accessToken: string;
}

/** An organization with one team and one team channel, everyone given as a member of all three. */
export async function createOrgWithChannel(
  harness: DesktopHarness,
  owner: Member,
  others: Member[] = [],
  names = { org: 'Acme', team: 'Platform', channel: 'general' },
) {
  const request = harness.backend.request.bind(harness.backend);
  const org = await request('POST', '/api/orgs', { token: owner.accessToken, body: { name: names.org } });
  for (const member of others)
    await request('POST', `/api/orgs/${org.id}/members`, { token: owner.accessToken, body: { email: member.email, role: 'member' } });
  const team = await request('POST', `/api/orgs/${org.id}/teams`, { token: owner.accessToken, body: { name: names.team } });
  // The team's creator is on it already.
  for (const member of others) {
    await request('POST', `/api/teams/${team.id}/members`, { token: owner.accessToken, body: { userId: member.userId, role: 'member' } });
  }
  const channel = await request('POST', `/api/teams/${team.id}/channels`, { token: owner.accessToken, body: { name: names.channel } });
  return { orgId: org.id as string, teamId: team.id as string, channelId: channel.id as string };
}

/** Posts a chat message as `author`, as another user's client would. */
export async function postMessage(harness: DesktopHarness, author: Member, channelId: string, body: string): Promise<void> {
  await harness.backend.request('POST', `/api/channels/${channelId}/messages`, { token: author.accessToken, body: { clientId: randomUUID(), body } });
}

/** The app window's id in main. */
export async function appWindowId(app: DesktopApp): Promise<number> {
  const state = await app.recorded();
  const window = state.windows.find((candidate) => candidate.url.startsWith('collaro-app://app/') && !candidate.destroyed);
  if (!window) throw new Error('main has no app window');
  return window.id;
}

/** The labels of a menu's items, separators left out, found by the labels on the way there. */
export function menuLabels(menu: MenuItemSnapshot[], ...path: string[]): string[] {
  let items = menu;
  for (const label of path) {
    const next = items.find((item) => item.label === label)?.submenu;
    if (!next) throw new Error(`no submenu '${label}' in ${items.map((item) => item.label).join(', ')}`);
    items = next;
  }
  return items.filter((item) => item.type !== 'separator' && item.visible).map((item) => item.label);
}

/** A meeting of the organization, starting in `startsInMinutes` (0: an instant meeting, live now). */
export async function createMeeting(harness: DesktopHarness, host: Member, orgId: string, title: string, startsInMinutes: number): Promise<{ id: string }> {
  const body: Record<string, unknown> = { orgId, title };
  if (startsInMinutes > 0) Object.assign(body, { startsAt: new Date(Date.now() + startsInMinutes * 60_000).toISOString(), durationMinutes: 30 });
  return harness.backend.request('POST', '/api/meetings', { token: host.accessToken, body });
}
