import { toSingleLine, type ClerkUserData } from '@collaro/shared';
import type { ClerkProfile } from './clerk-sync-repository.js';

const MAX_NAME_LENGTH = 100;

/** A display name from whatever Clerk knows, best first; never empty. */
export function clerkProfile(input: {
  clerkUserId: string;
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  email?: string | null;
}): ClerkProfile {
  const email = input.email?.trim().toLowerCase() || null;
  const fullName = [input.firstName, input.lastName]
    .map((part) => toSingleLine(part ?? ''))
    .filter(Boolean)
    .join(' ');
  const name = fullName || toSingleLine(input.username ?? '') || email?.split('@')[0] || `Clerk user ${input.clerkUserId.slice(-6)}`;
  return { name: name.slice(0, MAX_NAME_LENGTH), email };
}

export function clerkProfileFromWebhookUser(user: ClerkUserData): ClerkProfile {
  const primary = user.email_addresses.find((address) => address.id === user.primary_email_address_id);
  return clerkProfile({
    clerkUserId: user.id,
    firstName: user.first_name,
    lastName: user.last_name,
    username: user.username,
    email: primary?.email_address ?? null,
  });
}
