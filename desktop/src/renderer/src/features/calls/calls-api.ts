import { endpoints, type Call } from '@collaro/shared';
import { useCallback, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../api/api-client.js';
import { useOrgMembers } from '../../api/queries.js';
import { useRealtime } from '../../app/realtime.js';
import { useAuthState, useServices } from '../../app/services.js';
import { CallsStore } from './calls-store.js';

/** One store per realtime connection: the app opens one per signed-in user. */
const stores = new WeakMap<object, CallsStore>();

/** The calls store, re-rendering the caller on every change; null until signed in and connected. */
export function useCalls(): CallsStore | null {
  const { api } = useServices();
  const realtime = useRealtime();
  const auth = useAuthState();
  const selfId = auth.status === 'signed-in' ? auth.user.id : null;
  let store: CallsStore | null = null;
  if (realtime && selfId) {
    store = stores.get(realtime.client) ?? null;
    if (!store || store.selfId !== selfId) {
      store = new CallsStore(realtime.client, api, selfId);
      stores.set(realtime.client, store);
    }
  }
  useSyncExternalStore(
    (listener) => store?.subscribe(listener) ?? (() => undefined),
    () => store?.version ?? 0,
  );
  return store;
}

const callActions = {
  accept: endpoints.calls.accept,
  decline: endpoints.calls.decline,
  cancel: endpoints.calls.cancel,
  'hang-up': endpoints.calls.hangUp,
};
export type CallAction = keyof typeof callActions;

/** Runs an action on a call and records the answer, so this page sees the change before the frame arrives. */
export async function actOnCall(api: ApiClient, store: CallsStore | null, callId: string, action: CallAction): Promise<Call> {
  const call = await api.call(callActions[action], { params: { callId } });
  store?.put(call);
  if (action === 'accept') store?.markMine(callId);
  return call;
}

/** Starts a call in a direct message, or joins (answers) the one already on there. */
export async function startCall(api: ApiClient, store: CallsStore | null, channelId: string): Promise<Call> {
  const { call } = await api.call(endpoints.calls.start, { params: { channelId } });
  store?.put(call);
  store?.markMine(call.id);
  return call;
}

/** Names people in a call from the organization's member list (already loaded by the app). */
export function usePeopleNames(orgId: string | null): (userId: string) => string {
  const members = useOrgMembers(orgId);
  const list = members.data?.members;
  return useCallback((userId: string) => list?.find((member) => member.userId === userId)?.name ?? 'Someone', [list]);
}
