import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { POLL, makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';

/** Running an organization from the browser: invitation links, teams and channels. */
let harness: Harness;
let admin: Page;
const adminUser = makeUser('Olga Owner');
const pages: Record<string, Page> = {};
const newcomer = makeUser('Nora Newcomer');

beforeAll(async () => {
  harness = await startHarness();
  admin = (await harness.newUser()).page;
  await signUpThroughUi(admin, adminUser);
  await admin.getByPlaceholder('Organization name').fill('Invitational');
  await admin.getByRole('button', { name: 'Create organization' }).click();
  await admin.getByRole('link', { name: 'New meeting' }).waitFor();
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const [name, page] of Object.entries({ admin, ...pages })) {
      await harness.screenshot(page, `failed-${context.task.name.slice(0, 40)}-${name}`).catch(() => undefined);
    }
  }
});

afterAll(async () => {
  await harness?.stop();
});

async function createInvitationLink(email?: string): Promise<string> {
  await admin.goto('/admin');
  await admin.getByRole('tab', { name: 'Invitations' }).click();
  if (email) await admin.getByPlaceholder('Email, for one person (optional)').fill(email);
  await admin.getByRole('button', { name: 'Create invitation link' }).click();
  const link = admin.getByTestId('new-invitation').getByRole('textbox', { name: 'Invitation link' });
  await link.waitFor();
  return link.inputValue();
}

describe('invitation links', { timeout: 60_000 }, () => {
  it('someone without an account opens the link, signs up and lands in the organization', async () => {
    const url = await createInvitationLink();
    expect(url).toMatch(new RegExp(`^${harness.baseUrl}/invite/[A-Za-z0-9_-]{43}$`));
    await harness.screenshot(admin, 'organization-invitations');

    const { page } = await harness.newUser();
    pages.newcomer = page;
    await page.goto(url);
    expect(await page.getByTestId('invitation-summary').textContent()).toContain(`${adminUser.name} invited you to join Invitational`);
    await harness.screenshot(page, 'invitation');
    await page.getByRole('link', { name: 'Create an account and join' }).click();
    await page.getByLabel('Name').fill(newcomer.name);
    await page.getByLabel('Email').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('clock').waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Organization' }).locator('option:checked').textContent(), POLL).toBe('Invitational');
    expect(new URL(page.url()).pathname).toBe('/');

    await admin.getByRole('tab', { name: 'Members' }).click();
    await admin.getByTestId('org-member').filter({ hasText: newcomer.name }).waitFor();
  });

  it('a signed-in person accepts with one click; a revoked link says it cannot be used', async () => {
    const url = await createInvitationLink();
    const { page } = await harness.newUser();
    pages.existing = page;
    const existing = makeUser('Eli Existing');
    await signUpThroughUi(page, existing);
    await page.goto(url);
    await page.getByRole('button', { name: 'Join Invitational' }).click();
    await page.getByTestId('clock').waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Organization' }).locator('option:checked').textContent(), POLL).toBe('Invitational');

    await admin.goto('/admin');
    await admin.getByRole('tab', { name: 'Invitations' }).click();
    // Newest first: the link Eli just used.
    const rows = admin.getByTestId('invitation');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    await rows.first().getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('dialog', { name: 'Revoke invitation?' }).getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => rows.count(), POLL).toBe(1);

    await page.goto(url);
    await page.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not valid any more');
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
  });
});

describe('teams and channels', { timeout: 90_000 }, () => {
  async function createTeam(name: string) {
    await admin.goto('/admin');
    await admin.getByRole('tab', { name: 'Teams' }).click();
    await admin.getByPlaceholder('Team name').fill(name);
    await admin.getByRole('button', { name: 'Create team' }).click();
    await admin.getByRole('link', { name, exact: true }).waitFor();
  }

  it('an admin makes someone a team lead in place, and that lead creates, renames and archives a channel', async () => {
    await createTeam('Research');
    await createTeam('Design');
    await admin.getByRole('link', { name: 'Design', exact: true }).click();
    await admin.getByRole('heading', { name: '# Design' }).waitFor();
    await admin.getByRole('combobox', { name: 'Person to add' }).selectOption({ label: `${newcomer.name} (${newcomer.email})` });
    await admin.getByRole('button', { name: 'Add to team' }).click();
    const role = admin.getByRole('combobox', { name: 'Team role of Nora Newcomer' });
    await role.selectOption('lead');
    await admin.reload();
    await expect.poll(() => role.inputValue(), POLL).toBe('lead');

    const lead = pages.newcomer!;
    await lead.goto(new URL(admin.url()).pathname);
    await lead.getByPlaceholder('New channel name').fill('mockups');
    await lead.getByRole('button', { name: 'Create channel' }).click();
    await lead.getByRole('button', { name: 'Rename #mockups' }).click();
    await lead.getByRole('dialog').getByLabel('Channel name').fill('mockups-v2');
    await lead.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await lead.getByRole('button', { name: 'Archive #mockups-v2' }).click();
    await lead.getByRole('dialog', { name: 'Archive #mockups-v2?' }).getByRole('button', { name: 'Archive' }).click();
    await lead.getByTestId('team-channel').filter({ hasText: 'archived' }).waitFor();
    await harness.screenshot(lead, 'team-as-lead');

    await lead.getByRole('link', { name: '# mockups-v2' }).click();
    await lead.getByText('This channel is archived').waitFor();
    expect(await lead.getByRole('textbox', { name: /^Message / }).count()).toBe(0);
  });

  it('the chat sidebar lists channels under their team names, without archived ones', async () => {
    await admin.goto('/chat');
    const design = admin.getByRole('region', { name: 'Design' });
    await design.getByTestId('channel-link').first().waitFor();
    expect(await design.getByTestId('channel-link').allTextContents()).toEqual(['# general']);
    expect(await admin.getByRole('region', { name: 'Research' }).getByTestId('channel-link').allTextContents()).toEqual(['# general']);
    await design.getByTestId('channel-link').click();
    await admin.getByRole('heading', { name: '# general Design' }).waitFor();
    await harness.screenshot(admin, 'chat-teams');
  });

  it('removing someone from a team asks first; admins rename and delete teams', async () => {
    await admin.goto('/admin');
    await admin.getByRole('tab', { name: 'Teams' }).click();
    await admin.getByRole('link', { name: 'Design', exact: true }).click();
    const nora = admin.getByTestId('team-member').filter({ hasText: 'Nora Newcomer' });
    await nora.getByRole('button', { name: 'Remove' }).click();
    const ask = admin.getByRole('dialog', { name: 'Remove Nora Newcomer from Design?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await nora.count()).toBe(1);
    await nora.getByRole('button', { name: 'Remove' }).click();
    await ask.getByRole('button', { name: 'Remove' }).click();
    await nora.waitFor({ state: 'detached' });

    await admin.goto('/admin');
    await admin.getByRole('tab', { name: 'Teams' }).click();
    await admin.getByRole('link', { name: 'Research', exact: true }).click();
    await admin.getByRole('button', { name: 'Rename team' }).click();
    await admin.getByRole('dialog').getByLabel('Team name').fill('Research Lab');
    await admin.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await admin.getByRole('heading', { name: '# Research Lab' }).waitFor();
    await admin.getByRole('button', { name: 'Delete team' }).click();
    await admin.getByRole('dialog', { name: 'Delete Research Lab?' }).getByRole('button', { name: 'Delete team' }).click();
    await expect.poll(() => new URL(admin.url()).pathname, POLL).toBe('/admin');
    await admin.getByRole('tab', { name: 'Teams' }).click();
    await admin.getByRole('link', { name: 'Design', exact: true }).waitFor();
    expect(await admin.getByRole('link', { name: 'Research Lab' }).count()).toBe(0);
  });
});

describe('messages a person understands', { timeout: 60_000 }, () => {
  it('a mistyped or unknown address reads as a sentence, with no Retry where retrying cannot help', async () => {
    await admin.goto('/admin/teams/not-a-team');
    const malformed = admin.getByRole('alert');
    await malformed.waitFor();
    expect(await malformed.textContent()).toContain('This address is not valid');
    expect(await malformed.textContent()).not.toMatch(/params\.|UUID/);
    expect(await malformed.getByRole('button', { name: 'Retry' }).count()).toBe(0);

    await admin.goto('/admin/teams/5e8b0c9a-0000-4000-8000-000000000000');
    const missing = admin.getByRole('alert');
    await missing.waitFor();
    expect(await missing.textContent()).toContain('Team not found');
    expect(await missing.getByRole('button', { name: 'Retry' }).count()).toBe(0);

    await admin.goto('/admin');
    await admin.getByPlaceholder('Email of a Collaro user').fill('nobody-yet@example.test');
    await admin.getByRole('button', { name: 'Add member' }).click();
    const unknown = admin.getByRole('alert');
    await unknown.waitFor();
    expect(await unknown.textContent()).toContain('No Collaro account uses this email yet');
    expect(await unknown.textContent()).not.toContain('body.email');
  });
});

describe('layouts from 390 px up', { timeout: 120_000 }, () => {
  it('fit phone, small laptop and desktop widths without sideways scrolling, with screenshots of each', async () => {
    // A scheduled meeting with a long time line, written through the API.
    const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: adminUser.email, password: adminUser.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const me = (await (await fetch(`${harness.baseUrl}/api/me`, { headers: auth })).json()) as { organizations: { id: string }[] };
    const meeting = await fetch(`${harness.baseUrl}/api/meetings`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        orgId: me.organizations[0]!.id,
        title: 'Quarterly planning',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        durationMinutes: 45,
      }),
    });
    expect(meeting.status).toBe(201);

    for (const [width, height] of [
      [390, 844],
      [800, 600],
      [1280, 800],
    ] as const) {
      await admin.setViewportSize({ width, height });
      for (const [name, url] of [
        ['home', '/'],
        ['chat', '/chat'],
        ['meetings', '/meetings'],
        ['organization', '/admin'],
      ] as const) {
        await admin.goto(url);
        await admin.getByRole('navigation', { name: 'Main' }).waitFor();
        if (name === 'meetings') await admin.getByTestId('meeting-row').first().waitFor();
        if (name === 'chat')
          await admin
            .getByRole('complementary', { name: 'Conversations' })
            .or(admin.getByRole('textbox', { name: /^Message/ }))
            .first()
            .waitFor();
        const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        await harness.screenshot(admin, `layout-${width}-${name}`);
        if (name === 'meetings') {
          // The meeting's time stays on one or two lines, not a word per line beside the buttons.
          const timeBox = await admin.getByTestId('meeting-row').first().locator('.muted.small').first().boundingBox();
          expect(timeBox!.height, `meeting time at ${width}px`).toBeLessThan(48);
        }
      }
      // Below about 900 px the main sidebar folds into a bar across the top.
      const sidebar = (await admin.getByRole('navigation', { name: 'Main' }).boundingBox())!;
      if (width < 900) expect(sidebar.width).toBeGreaterThan(width - 20);
      else expect(sidebar.width).toBeLessThan(300);
    }
    await admin.setViewportSize({ width: 1280, height: 800 });
  });
});
