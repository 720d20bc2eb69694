import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';

let harness: Harness;
let alice: Page;
let bob: Page;
const aliceUser = makeUser('Alice Admin');
const bobUser = makeUser('Bob Builder');

beforeAll(async () => {
  harness = await startHarness();
  alice = (await harness.newUser()).page;
  bob = (await harness.newUser()).page;
}, 180_000);

afterAll(async () => {
  await harness?.stop();
});

describe('two people set up an organization and a team in the browser', () => {
  it('both sign up in their own browser contexts', async () => {
    await alice.goto('/');
    await alice.getByRole('heading', { name: 'Sign in' }).waitFor();
    await harness.screenshot(alice, 'sign-in');
    await alice.getByRole('link', { name: 'Create an account' }).click();
    await alice.getByRole('heading', { name: 'Create your account' }).waitFor();
    await harness.screenshot(alice, 'sign-up');

    await signUpThroughUi(alice, aliceUser);
    await signUpThroughUi(bob, bobUser);
    await expect(alice.getByText(`Welcome, ${aliceUser.name}`).textContent()).resolves.toContain(aliceUser.name);
    await expect(bob.getByText(`Welcome, ${bobUser.name}`).textContent()).resolves.toContain(bobUser.name);
  });

  it('keeps the session across a reload (refresh token) and rejects a wrong password clearly', async () => {
    await alice.reload();
    await alice.getByTestId('clock').waitFor();

    const { context, page } = await harness.newUser();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(aliceUser.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/invalid|incorrect|wrong/i);
    await context.close();
  });

  it('Alice creates the organization from home and sees the meeting actions', async () => {
    await alice.getByPlaceholder('Organization name').fill('Acme Robotics');
    await alice.getByRole('button', { name: 'Create organization' }).click();
    await alice.getByRole('link', { name: 'New meeting' }).waitFor();
    expect(await alice.getByRole('combobox', { name: 'Organization' }).inputValue()).not.toBe('');
    await harness.screenshot(alice, 'home');
  });

  it('the join box refuses a link to another server with the reason', async () => {
    await alice.getByPlaceholder(/\/m\//).fill('https://elsewhere.example.com/m/5e8b0c9a-0000-4000-8000-000000000000');
    await alice.getByRole('button', { name: 'Join', exact: true }).click();
    expect(await alice.locator('#join-error').textContent()).toContain('another server');
  });

  it('Alice adds Bob to the organization and creates a team with both of them', async () => {
    await alice.getByRole('link', { name: 'Organization' }).click();
    await alice.getByRole('heading', { name: 'Acme Robotics' }).waitFor();
    await alice.getByPlaceholder('Email of a Collaro user').fill(bobUser.email);
    await alice.getByRole('button', { name: 'Add member' }).click();
    await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).waitFor();
    expect(await alice.getByTestId('org-member').count()).toBe(2);
    await harness.screenshot(alice, 'organization-members');

    await alice.getByRole('tab', { name: 'Teams' }).click();
    await alice.getByPlaceholder('Team name').fill('Platform');
    await alice.getByRole('button', { name: 'Create team' }).click();
    await alice.getByRole('link', { name: 'Platform' }).click();
    await alice.getByRole('heading', { name: '# Platform' }).waitFor();
    await alice.getByRole('combobox', { name: 'Person to add' }).selectOption({ label: `${bobUser.name} (${bobUser.email})` });
    await alice.getByRole('button', { name: 'Add to team' }).click();
    await alice.getByTestId('team-member').filter({ hasText: bobUser.name }).waitFor();
    await harness.screenshot(alice, 'team');
  });

  it('Bob sees the organization as a member, without the controls he may not use', async () => {
    await bob.goto('/admin');
    await bob.getByRole('heading', { name: 'Acme Robotics' }).waitFor();
    expect(await bob.getByText('Your role: member').count()).toBe(1);
    await bob.getByTestId('org-member').filter({ hasText: aliceUser.name }).waitFor();
    expect(await bob.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await bob.getByRole('tab', { name: 'Teams' }).click();
    expect(await bob.getByRole('button', { name: 'Create team' }).count()).toBe(0);
    await bob.getByRole('link', { name: 'Platform' }).click();
    await bob.getByTestId('team-member').first().waitFor();
    expect(await bob.getByRole('button', { name: 'Add to team' }).count()).toBe(0);
    await harness.screenshot(bob, 'team-as-member');
  });

  it('a refused request (403) is shown to the user as a permission error', async () => {
    // Alice makes Bob an admin, Bob opens the admin controls, then Alice takes the role back while
    // Bob's page still shows them: his next action is refused by the server.
    await alice.goto('/admin');
    const bobRole = alice.getByTestId('org-member').filter({ hasText: bobUser.name }).getByRole('combobox');
    await bobRole.selectOption('admin');
    await expect.poll(() => bobRole.inputValue()).toBe('admin');
    await bob.goto('/admin');
    await bob.getByPlaceholder('Email of a Collaro user').waitFor();
    await bobRole.selectOption('member');
    await expect.poll(() => bobRole.inputValue()).toBe('member');
    await bob.getByPlaceholder('Email of a Collaro user').fill(aliceUser.email);
    await bob.getByRole('button', { name: 'Add member' }).click();
    const alert = bob.getByRole('alert').filter({ hasText: 'Permission denied' });
    await alert.waitFor();
    await harness.screenshot(bob, 'forbidden');
  });
});
