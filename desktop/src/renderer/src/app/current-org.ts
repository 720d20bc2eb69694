import { useCallback, useSyncExternalStore } from 'react';
import { permissionsFor, type OrgRole, type Permission } from '@collaro/shared';
import { useMe } from '../api/queries.js';

const ORG_KEY = 'collaro.currentOrgId';
const listeners = new Set<() => void>();

function storedOrgId(): string | null {
  return localStorage.getItem(ORG_KEY);
}

export function selectOrg(orgId: string): void {
  localStorage.setItem(ORG_KEY, orgId);
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
 * Null while loading or when they belong to none yet.
 */
export function useCurrentOrg(): { org: CurrentOrg | null; isLoading: boolean; select: (orgId: string) => void } {
  const me = useMe();
  const chosen = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    storedOrgId,
  );
  const orgs = me.data?.organizations ?? [];
  const picked = orgs.find((org) => org.id === chosen) ?? orgs[0] ?? null;
  const select = useCallback((orgId: string) => selectOrg(orgId), []);
  return {
    org: picked ? { ...picked, permissions: permissionsFor(picked.role) } : null,
    isLoading: me.isLoading,
    select,
  };
}
