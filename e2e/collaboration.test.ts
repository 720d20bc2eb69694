import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { POLL, makeUser, signUpThroughUi, startHarness, type Harness } from './harness.js';

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

afterEach(async (context) => {
  // A failed step leaves both screens as evidence next to the screenshots of each screen.
  if (context.task.result?.state === 'fail') {
    await harness.screenshot(alice, `failed-${context.task.name.slice(0, 40)}-alice`).catch(() => undefined);
    await harness.screenshot(bob, `failed-${context.task.name.slice(0, 40)}-bob`).catch(() => undefined);
  }
});

afterAll(async () => {
  await harness?.stop();
});

/** An access token of `user`'s own, for writing through the HTTP API beside their open page. */
async function accessTokenOf(user: { email: string; password: string }): Promise<string> {
  const login = await fetch(`${harness.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  return ((await login.json()) as { accessToken: string }).accessToken;
}

describe('two people set up an organization and a team in the browser', { timeout: 60_000 }, () => {
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
    // Icons are drawn, not typed: emoji are empty boxes where no emoji font is installed.
    expect(await alice.locator('.action-tile svg').count()).toBe(3);
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
    await expect.poll(() => bobRole.inputValue(), POLL).toBe('admin');
    await bob.goto('/admin');
    await bob.getByPlaceholder('Email of a Collaro user').waitFor();
    await bobRole.selectOption('member');
    await expect.poll(() => bobRole.inputValue(), POLL).toBe('member');
    await bob.getByPlaceholder('Email of a Collaro user').fill(aliceUser.email);
    await bob.getByRole('button', { name: 'Add member' }).click();
    const alert = bob.getByRole('alert').filter({ hasText: 'Permission denied' });
    await alert.waitFor();
    await harness.screenshot(bob, 'forbidden');
  });
});

describe('chat between the two of them', { timeout: 60_000 }, () => {
  const codeMessage = 'Deploy script:\n```ts\nconst answer: number = 42;\n```';

  it('shows who is online and counts unread messages until they are read', async () => {
    await bob.goto('/');
    await bob.getByTestId('clock').waitFor();
    await alice.goto('/chat');
    await alice.getByTestId('channel-link').first().click();
    await alice.getByRole('textbox', { name: /^Message #/ }).waitFor();

    // Presence: Bob is connected, so Alice sees him online when starting a direct message.
    await alice.getByRole('button', { name: 'New direct message' }).click();
    const bobRow = alice.getByRole('dialog').getByRole('listitem').filter({ hasText: bobUser.name });
    await bobRow.getByRole('img', { name: 'Online' }).waitFor();
    await alice.keyboard.press('Escape');

    await alice.getByRole('textbox', { name: /^Message #/ }).fill(codeMessage);
    await alice.keyboard.press('Enter');
    const sent = alice.getByTestId('message').filter({ hasText: 'Deploy script' });
    await sent.waitFor();
    await sent.locator('.hljs-keyword').first().waitFor();
    expect(await alice.getByTestId('outgoing-message').count()).toBe(0);

    // Bob is on the home screen: the navigation shows one unread message.
    await bob.getByTestId('nav-unread').filter({ hasText: '1' }).waitFor();
    await expect.poll(() => bob.title(), POLL).toBe('(1) Collaro');
    await harness.screenshot(bob, 'home-with-unread');
    await bob.getByRole('link', { name: /^Chat/ }).click();
    const channel = bob.getByTestId('channel-link').first();
    await channel.click();
    const received = bob.getByTestId('message').filter({ hasText: 'Deploy script' });
    await received.waitFor();
    expect(await received.locator('pre code .hljs-keyword').first().textContent()).toBe('const');
    await expect.poll(() => bob.getByTestId('nav-unread').count(), POLL).toBe(0);
    await expect.poll(() => bob.title(), POLL).toBe('Collaro');
    expect(await bob.getByTestId('day-separator').allTextContents()).toEqual(['Today']);
  });

  it('shows typing, replies, reactions, edits and deletions live on the other side', async () => {
    const bobBox = bob.getByRole('textbox', { name: /^Message #/ });
    await bobBox.pressSequentially('On it', { delay: 20 });
    await alice
      .getByTestId('typing-indicator')
      .filter({ hasText: `${bobUser.name} is typing` })
      .waitFor();
    await harness.screenshot(alice, 'chat-typing');

    await bob.getByTestId('message').filter({ hasText: 'Deploy script' }).first().hover();
    await bob.getByRole('button', { name: 'Reply' }).first().click();
    await bobBox.fill(`On it @${aliceUser.name}, **shipping** now`);
    await bob.keyboard.press('Enter');
    const reply = alice.getByTestId('message').filter({ hasText: 'shipping now' });
    await reply.waitFor();
    expect(await reply.locator('strong').filter({ hasText: 'shipping' }).count()).toBe(1);
    expect(await reply.locator('.reply-quote').textContent()).toContain('Deploy script');
    expect(await reply.locator('.mention').textContent()).toBe(`@${aliceUser.name}`);

    await reply.hover();
    await reply.getByRole('button', { name: 'React with 👍' }).click();
    await bob.getByTestId('message').filter({ hasText: 'shipping now' }).getByRole('button', { name: '👍 1' }).waitFor();

    const mine = alice.getByTestId('message').filter({ hasText: 'Deploy script' }).first();
    await mine.hover();
    await mine.getByRole('button', { name: 'More actions' }).click();
    await alice.getByRole('menuitem', { name: 'Edit' }).click();
    await alice.getByRole('textbox', { name: 'Edit message' }).fill('Deploy script (v2)');
    await alice.keyboard.press('Enter');
    await bob.getByTestId('message').filter({ hasText: 'Deploy script (v2)' }).filter({ hasText: '(edited)' }).first().waitFor();
    await harness.screenshot(bob, 'chat');

    alice.once('dialog', (dialog) => void dialog.accept());
    const edited = alice.getByTestId('message').filter({ hasText: 'Deploy script (v2)' }).first();
    await edited.hover();
    await edited.getByRole('button', { name: 'More actions' }).click();
    await alice.getByRole('menuitem', { name: 'Delete' }).click();
    await bob.getByText('This message was deleted.').waitFor();
  });

  it('mentions the person picked after @, and reacts with any emoji from the picker', async () => {
    const aliceBox = alice.getByRole('textbox', { name: /^Message #/ });
    await aliceBox.pressSequentially('Ping @Bob', { delay: 20 });
    const option = alice.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: bobUser.name });
    await option.waitFor();
    await harness.screenshot(alice, 'chat-mention-list');
    await alice.keyboard.press('Enter');
    expect(await aliceBox.inputValue()).toBe(`Ping @${bobUser.name} `);
    await aliceBox.pressSequentially('please review');
    await alice.keyboard.press('Enter');
    const ping = bob.getByTestId('message').filter({ hasText: 'please review' });
    expect(await ping.locator('.mention').textContent({ timeout: 15_000 })).toBe(`@${bobUser.name}`);

    await ping.hover();
    await ping.getByRole('button', { name: 'Add reaction' }).click();
    const picker = bob.getByRole('dialog', { name: 'Pick a reaction' });
    await picker.getByRole('searchbox').or(picker.getByRole('textbox')).first().fill('party popper');
    // The picker's emoji cells carry the stable part name its documentation gives them.
    await picker.locator('[data-epr-part="emoji"]', { hasText: '🎉' }).first().click();
    await picker.waitFor({ state: 'hidden' });
    await alice.getByTestId('message').filter({ hasText: 'please review' }).getByRole('button', { name: '🎉 1' }).waitFor();
    await harness.screenshot(alice, 'chat-reaction');
  });

  it('sends direct messages with an unread badge on the conversation', async () => {
    await alice.getByRole('button', { name: 'New direct message' }).click();
    await alice.getByRole('button', { name: `Message ${bobUser.name}` }).click();
    await alice.getByRole('heading', { name: bobUser.name }).waitFor();
    await alice.getByRole('textbox', { name: `Message ${bobUser.name}` }).fill(`Hi ${bobUser.name}, a quick question`);
    await alice.keyboard.press('Enter');
    await alice.getByTestId('message').filter({ hasText: 'a quick question' }).waitFor();

    const dm = bob.getByTestId('channel-link').filter({ hasText: aliceUser.name });
    await dm.getByLabel('1 unread').waitFor();
    await dm.click();
    await bob.getByTestId('message').filter({ hasText: 'a quick question' }).waitFor();
    await expect.poll(() => dm.getByLabel('1 unread').count(), POLL).toBe(0);
  });

  it('shows HTML and script links sent by someone else as harmless text', async () => {
    const box = alice.getByRole('textbox', { name: `Message ${bobUser.name}` });
    await box.fill('<img src=x onerror="window.__collaroXss=1"> and [click me](javascript:window.__collaroXss=2)');
    await alice.keyboard.press('Enter');
    const hostile = bob.getByTestId('message').filter({ hasText: 'click me' });
    await hostile.waitFor();
    expect(await hostile.locator('img').count()).toBe(0);
    expect(await hostile.textContent()).toContain('<img src=x');
    const hrefs = await hostile.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => href.toLowerCase().startsWith('javascript:'))).toEqual([]);
    expect(await bob.evaluate(() => (window as unknown as { __collaroXss?: number }).__collaroXss)).toBeUndefined();
  });

  it('loads older history as the reader scrolls up', async () => {
    // A long history, written through the HTTP API (typing 55 messages would only meet the send rate limit).
    const accessToken = await accessTokenOf(aliceUser);
    const dmUrl = new URL(bob.url());
    const channelId = dmUrl.pathname.split('/').pop()!;
    for (let i = 1; i <= 55; i += 1) {
      const body = JSON.stringify({ clientId: crypto.randomUUID(), body: `numbered message ${i}` });
      const post = () =>
        fetch(`${harness.baseUrl}/api/channels/${channelId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body,
        });
      let posted = await post();
      // HTTP chat writes have the same per-user budget as the socket's (40 at once): past it the
      // server says when to come back, as it would to any client posting this fast.
      if (posted.status === 429) {
        const retryAfterSeconds = Number(posted.headers.get('retry-after'));
        expect(retryAfterSeconds).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
        posted = await post();
      }
      expect(posted.status).toBe(201);
    }
    // The server fans each message out to both open pages; on a busy two-core machine that trails the posts.
    await alice.getByTestId('message').filter({ hasText: 'numbered message 55' }).waitFor({ timeout: 45_000 });

    await bob.reload();
    await bob.getByTestId('message').filter({ hasText: 'numbered message 55' }).waitFor();
    expect(await bob.getByTestId('message').filter({ hasText: 'a quick question' }).count()).toBe(0);
    await bob.getByRole('log').evaluate((element) => {
      element.scrollTop = 0;
      element.dispatchEvent(new Event('scroll'));
    });
    await bob.getByTestId('message').filter({ hasText: 'a quick question' }).waitFor();
    await bob.getByText('This is the beginning of your conversation.').waitFor();
  }, 90_000);

  it('shows a message that arrives while the channel is still loading its history', async () => {
    const body = 'posted while Bob was opening the channel';
    // Bob's history request is answered with what the server read at once, but only after Alice's
    // message has been stored and has reached Bob's page live: the page Bob gets does not hold it.
    let historyRead!: () => void;
    const read = new Promise<void>((resolve) => (historyRead = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const history = /\/api\/channels\/[^/]+\/messages(\?|$)/;
    await bob.route(history, async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      historyRead();
      await released;
      await route.fulfill({ response });
    });
    let liveFrame!: () => void;
    const arrivedLive = new Promise<void>((resolve) => (liveFrame = resolve));
    const watchSocket = (socket: PageSocket) =>
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"chat.message"') && payload.includes(body)) liveFrame();
      });
    bob.on('websocket', watchSocket);
    try {
      await bob.goto('/chat');
      await bob.getByTestId('channel-link').first().click();
      await read;
      const channelId = new URL(bob.url()).pathname.split('/').pop()!;
      const posted = await fetch(`${harness.baseUrl}/api/channels/${channelId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await accessTokenOf(aliceUser)}` },
        body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
      });
      expect(posted.status).toBe(201);
      await arrivedLive;
      release();
      await bob.getByTestId('message').filter({ hasText: body }).waitFor();
    } finally {
      release();
      bob.off('websocket', watchSocket);
      await bob.unroute(history);
    }
  });
});

describe('leaving an organization', { timeout: 60_000 }, () => {
  it('a person removed from the organization is told so, not "Channel not found"', async () => {
    await bob.goto('/chat');
    await bob.getByTestId('channel-link').first().click();
    const box = bob.getByRole('textbox', { name: /^Message #/ });
    await box.waitFor();

    await alice.goto('/admin');
    await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).getByRole('button', { name: 'Remove' }).click();
    await alice
      .getByRole('dialog', { name: `Remove ${bobUser.name}?` })
      .getByRole('button', { name: 'Remove' })
      .click();
    await alice.getByTestId('org-member').filter({ hasText: bobUser.name }).waitFor({ state: 'detached' });

    await box.fill('Am I still here?');
    await bob.keyboard.press('Enter');
    const notice = bob.getByRole('alert').filter({ hasText: 'You are no longer a member of Acme Robotics' });
    await notice.waitFor();
    expect(await bob.getByText(/Channel not found/).count()).toBe(0);
    await harness.screenshot(bob, 'removed-from-organization');
    await notice.getByRole('button', { name: 'OK' }).click();
    await notice.waitFor({ state: 'detached' });
  });
});
