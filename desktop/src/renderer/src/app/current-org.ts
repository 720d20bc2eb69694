import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { permissionsFor, type MeResponse, type OrgRole, type Permission } from '@collaro/shared';
import { useMe } from '../api/queries.js';

const ORG_KEY = 'collaro.currentOrgId';
/** Names of organizations this browser has shown, so losing one can be explained by name. */
const KNOWN_KEY = 'collaro.knownOrgNames';
/** Whose choice ORG_KEY holds: after someone else signs in on this browser it means nothing. */
const OWNER_KEY = 'collaro.currentOrgOwner';
const listeners = new Set<() => void>();

function storedOrgId(): string | null {
  return localStorage.getItem(ORG_KEY);
}

function knownNames(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KNOWN_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function selectOrg(orgId: string | null): void {
  if (orgId) localStorage.setItem(ORG_KEY, orgId);
  else localStorage.removeItem(ORG_KEY);
  for (const listener of listeners) listener();
}

type MyOrganization = MeResponse['organizations'][number];

/**
 * Which of `me`'s organizations is on screen, given the id stored in this browser: the one they
 * picked last, else their first. `mine` is the stored choice if it is this user's; `gone` says that
 * choice was on an earlier list and is not any more (then nothing is picked until they acknowledge it).
 */
function chooseOrg(me: MeResponse, storedId: string | null): { picked: MyOrganization | null; mine: string | null; gone: boolean } {
  const orgs = me.organizations;
  const mine = localStorage.getItem(OWNER_KEY) === me.user.id ? storedId : null;
  // Gone only if it was on an earlier list: one just created or joined may not be on the list yet.
  const gone = Boolean(mine && !orgs.some((org) => org.id === mine) && knownNames()[mine]);
  const picked = gone ? null : (orgs.find((org) => org.id === mine) ?? orgs[0] ?? null);
  return { picked, mine, gone };
}

/** The organization the first screen will show for `me`, known before any screen renders. */
export function initialOrgId(me: MeResponse): string | null {
  return chooseOrg(me, storedOrgId()).picked?.id ?? null;
}

export interface CurrentOrg {
  id: string;
  name: string;
  role: OrgRole;
  permissions: Set<Permission>;
}

/**
 * The organization the user is working in: the one they picked last, else their first.
 * Null while loading or when they belong to none yet. `lost` is the organization they were working
 * in when it disappeared from their list (they were removed, or it was deleted), until dismissed.
 */
export function useCurrentOrg(): {
  org: CurrentOrg | null;
  isLoading: boolean;
  select: (orgId: string | null) => void;
  lost: { id: string; name: string } | null;
  dismissLost: () => void;
} {
  const me = useMe();
  const chosen = useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, storedOrgId);
  const orgs = me.data?.organizations;
  const { picked, mine, gone: chosenIsGone } = me.data ? chooseOrg(me.data, chosen) : { picked: null, mine: null, gone: false };

  useEffect(() => {
    if (!orgs || !me.data) return;
    localStorage.setItem(OWNER_KEY, me.data.user.id);
    const names = knownNames();
    for (const org of orgs) names[org.id] = org.name;
    localStorage.setItem(KNOWN_KEY, JSON.stringify(names));
    // Remember the organization on screen, so that losing it is noticed even if it was never picked.
    if (picked && mine === null) selectOrg(picked.id);
  }, [orgs, picked, mine, me.data]);

  const select = useCallback((orgId: string | null) => selectOrg(orgId), []);
  const dismissLost = useCallback(() => {
    const names = knownNames();
    if (mine) delete names[mine];
    localStorage.setItem(KNOWN_KEY, JSON.stringify(names));
    selectOrg(orgs?.[0]?.id ?? null);
  }, [mine, orgs]);
  return {
    org: picked ? { ...picked, permissions: permissionsFor(picked.role) } : null,
    isLoading: me.isLoading,
    select,
    lost: chosenIsGone && mine ? { id: mine, name: knownNames()[mine] ?? 'your organization' } : null,
    dismissLost,
  };
}
