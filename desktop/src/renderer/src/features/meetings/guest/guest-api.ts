import { GuestEntrySchema, type GuestEntry } from '@collaro/shared';
import { ApiClient } from '../../../api/api-client.js';

/** A guest keeps their place for the tab's life: a reload does not ask for the name again. */
const storageKey = (linkToken: string) => `collaro.guest.${linkToken}`;

export function savedGuestEntry(linkToken: string): GuestEntry | null {
  try {
    const parsed = GuestEntrySchema.safeParse(JSON.parse(sessionStorage.getItem(storageKey(linkToken)) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveGuestEntry(linkToken: string, entry: GuestEntry | null) {
  if (entry) sessionStorage.setItem(storageKey(linkToken), JSON.stringify(entry));
  else sessionStorage.removeItem(storageKey(linkToken));
}

/** The API as a guest calls it: with the guest token, which only the guest routes accept. */
export function guestApiClient(baseUrl: string, guestToken: string): ApiClient {
  const client = new ApiClient(baseUrl);
  client.useTokens({ getAccessToken: async () => guestToken, recoverFromUnauthorized: async () => false });
  return client;
}
