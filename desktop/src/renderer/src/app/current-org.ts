import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { permissionsFor, type OrgRole, type Permission } from '@collaro/shared';
import { useMe } from '../api/queries.js';
import { chooseOrg, KNOWN_KEY, knownNames, ORG_KEY, OWNER_KEY, storedOrgId } from './org-choice.js';

export { initialOrgId } from './org-choice.js';

const listeners = new Set<() => void>();

export function selectOrg(orgId: string | null): void {
  if (orgId) localStorage.setItem(ORG_KEY, orgId);
  else localStorage.removeItem(ORG_KEY);
  for (const listener of listeners) listener();
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
