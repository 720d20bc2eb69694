/**
 * Which organization a person's screens show, from what this browser remembers. Kept apart from
 * current-org.ts (React) because the early script (early-session.ts) needs it before React exists.
 */

export const ORG_KEY = 'collaro.currentOrgId';
/** Names of organizations this browser has shown, so losing one can be explained by name. */
export const KNOWN_KEY = 'collaro.knownOrgNames';
/** Whose choice ORG_KEY holds: after someone else signs in on this browser it means nothing. */
export const OWNER_KEY = 'collaro.currentOrgOwner';

export function storedOrgId(): string | null {
  return localStorage.getItem(ORG_KEY);
}

export function knownNames(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KNOWN_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** What the choice needs of a profile (`MeResponse`): who it is and their organizations. */
export interface ProfileOrganizations<Org extends { id: string }> {
  user: { id: string };
  organizations: readonly Org[];
}

/**
 * Which of `me`'s organizations is on screen, given the id stored in this browser: the one they
 * picked last, else their first. `mine` is the stored choice if it is this user's; `gone` says that
 * choice was on an earlier list and is not any more (then nothing is picked until they acknowledge it).
 */
export function chooseOrg<Org extends { id: string }>(
  me: ProfileOrganizations<Org>,
  storedId: string | null,
): { picked: Org | null; mine: string | null; gone: boolean } {
  const orgs = me.organizations;
  const mine = localStorage.getItem(OWNER_KEY) === me.user.id ? storedId : null;
  // Gone only if it was on an earlier list: one just created or joined may not be on the list yet.
  const gone = Boolean(mine && !orgs.some((org) => org.id === mine) && knownNames()[mine]);
  const picked = gone ? null : (orgs.find((org) => org.id === mine) ?? orgs[0] ?? null);
  return { picked, mine, gone };
}

/** The organization the first screen will show for `me`, known before any screen renders. */
export function initialOrgId(me: ProfileOrganizations<{ id: string }>): string | null {
  return chooseOrg(me, storedOrgId()).picked?.id ?? null;
}
