import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { clearCacheWhenSessionEnds } from '../../src/renderer/src/app/session-cache.js';
import type { AuthState } from '../../src/renderer/src/auth/auth-client.js';

const USER = { id: '5e8b0c9a-0000-4000-8000-000000000001', email: 'ada@example.test', name: 'Ada' };

/** An auth client that only reports states, as the app's clients do while a page starts. */
function fakeAuth(initial: AuthState) {
  let state = initial;
  const listeners = new Set<(state: AuthState) => void>();
  return {
    getState: () => state,
    subscribe(listener: (state: AuthState) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    become(next: AuthState) {
      state = next;
      for (const listener of listeners) listener(next);
    },
  };
}

describe('cached data and the session', () => {
  it("keeps what a page open to anyone has loaded when it turns out nobody is signed in (a guest's link)", () => {
    const queryClient = new QueryClient();
    const auth = fakeAuth({ status: 'loading' });
    clearCacheWhenSessionEnds(auth, queryClient);
    queryClient.setQueryData(['guest-link', 'token'], { meetingTitle: 'Standup' });
    auth.become({ status: 'signed-out' });
    expect(queryClient.getQueryData(['guest-link', 'token'])).toEqual({ meetingTitle: 'Standup' });
  });

  it("drops the account's data when its session ends, here or in another tab", () => {
    const queryClient = new QueryClient();
    const auth = fakeAuth({ status: 'loading' });
    clearCacheWhenSessionEnds(auth, queryClient);
    auth.become({ status: 'signed-in', user: USER });
    queryClient.setQueryData(['me'], { user: USER });
    auth.become({ status: 'signed-out', reason: 'You signed out in another window.' });
    expect(queryClient.getQueryData(['me'])).toBeUndefined();
  });

  it('drops it too when the session was already signed in before it started watching', () => {
    const queryClient = new QueryClient();
    const auth = fakeAuth({ status: 'signed-in', user: USER });
    clearCacheWhenSessionEnds(auth, queryClient);
    queryClient.setQueryData(['me'], { user: USER });
    auth.become({ status: 'signed-out' });
    expect(queryClient.getQueryData(['me'])).toBeUndefined();
  });
});
