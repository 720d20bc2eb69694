import type { Call } from '@collaro/shared';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/api-error.js';
import { useOrgMembers } from '../../api/queries.js';
import { paths } from '../../app/paths.js';
import { usePresence } from '../chat/chat-session-hooks.js';
import { useAuthState, useServices } from '../../app/services.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { actOnCall, useCalls, usePeopleNames } from './calls-api.js';
import type { CallsStore } from './calls-store.js';
import { startRingtone } from './ringtone.js';
import './calls.css';

type Navigate = (path: string) => void;

/** A screen with a call or meeting room open: answering another call leaves it. */
function inARoom(): boolean {
  return /^\/(calls|meetings)\/[0-9a-f-]{36}$/i.test(window.location.pathname);
}

/** Calls ringing this person now, re-checked when ringing times run out. */
function useRingingCalls(store: CallsStore | null): Call[] {
  const [, tick] = useState(0);
  const ringing = store?.ringingForMe() ?? [];
  const next = Math.min(...ringing.map((call) => new Date(call.ringsUntil).getTime()));
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, next - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [next]);
  return ringing;
}

/**
 * Mounted once by the app: the incoming-call dialog for each call ringing this person, with a
 * ringtone in the browser and, in the desktop app, the system notification main rings. Do-not-
 * disturb (the person's presence, which the desktop tray sets) keeps both silent; the dialog still
 * shows, so someone looking at the app can answer.
 */
export function IncomingCalls({ navigate }: { navigate: Navigate | null }) {
  const auth = useAuthState();
  const store = useCalls();
  if (auth.status !== 'signed-in' || !store || !navigate) return null;
  return <RingingCalls store={store} navigate={navigate} />;
}

function RingingCalls({ store, navigate }: { store: CallsStore; navigate: Navigate }) {
  const { api } = useServices();
  const ringing = useRingingCalls(store);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const doNotDisturb = usePresence(store.selfId) === 'dnd';
  const [desktopRings, setDesktopRings] = useState<ReadonlySet<string>>(new Set());

  const answer = async (call: Call, action: 'accept' | 'decline') => {
    try {
      await actOnCall(api, store, call.id, action);
      if (action === 'accept') navigate(paths.call(call.id));
    } catch (error) {
      setErrors((current) => ({ ...current, [call.id]: describeError(error) }));
    }
  };
  const answerRef = useRef(answer);
  answerRef.current = answer;

  const bridge = desktopBridge();
  const ringingIds = ringing.map((call) => call.id).join(',');
  const orgId = ringing[0]?.orgId ?? null;
  const names = usePeopleNames(orgId);
  const namesRef = useRef(names);
  namesRef.current = names;
  // The notification names the caller: ring once the organization's names are in (or could not be had).
  const namesSettled = !useOrgMembers(orgId).isLoading;

  // The desktop rings each call once through main, which repeats it; it stops when the call stops ringing here.
  useEffect(() => {
    if (!bridge || doNotDisturb || !namesSettled) return;
    const started: string[] = [];
    for (const call of store.ringingForMe()) {
      started.push(call.id);
      const nameOf = namesRef.current;
      void bridge.calls
        .ring({
          callId: call.id,
          callerName: nameOf(call.callerId).slice(0, 200),
          otherNames: call.members.filter((m) => m.userId !== call.callerId && m.userId !== store.selfId).map((m) => nameOf(m.userId).slice(0, 200)),
          ringsUntil: call.ringsUntil,
        })
        .then((result) => {
          if (result.shown) setDesktopRings((current) => new Set([...current, call.id]));
        })
        .catch(() => undefined);
    }
    return () => {
      for (const callId of started) void bridge.calls.stopRinging(callId).catch(() => undefined);
      setDesktopRings(new Set());
    };
  }, [bridge, store, ringingIds, doNotDisturb, namesSettled]);

  useEffect(() => {
    if (!bridge) return;
    return bridge.calls.onAnswer(({ callId, action }) => {
      const call = store.get(callId);
      if (!call || action === 'open') return;
      void answerRef.current(call, action);
    });
  }, [bridge, store]);

  // In the browser (or where the system would not show the notification) the page rings itself.
  const needsTone = ringing.length > 0 && !doNotDisturb && ringing.some((call) => !desktopRings.has(call.id));
  const [audible, setAudible] = useState(true);
  useEffect(() => {
    if (!needsTone) return;
    return startRingtone(setAudible);
  }, [needsTone]);

  useEffect(() => {
    if (ringing.length === 0) return;
    const title = document.title;
    document.title = `${names(ringing[0]!.callerId)} is calling`;
    return () => {
      document.title = title;
    };
  }, [ringing, names]);

  if (ringing.length === 0) return null;
  return (
    <div className="incoming-calls">
      {ringing.map((call) => (
        <IncomingCallCard
          key={call.id}
          call={call}
          selfId={store.selfId}
          silentReason={
            doNotDisturb
              ? 'Do not disturb is on: this call rings silently.'
              : !audible && !desktopRings.has(call.id)
                ? 'Click anywhere in Collaro to let it play the ringtone.'
                : null
          }
          error={errors[call.id] ?? null}
          onAnswer={(action) => void answer(call, action)}
        />
      ))}
    </div>
  );
}

function IncomingCallCard(props: {
  call: Call;
  selfId: string;
  silentReason: string | null;
  error: string | null;
  onAnswer: (action: 'accept' | 'decline') => void;
}) {
  const { call, selfId } = props;
  const nameOf = usePeopleNames(call.orgId);
  const others = call.members.filter((member) => member.userId !== call.callerId && member.userId !== selfId);
  const titleId = `incoming-call-${call.id}`;
  return (
    <section className="incoming-call card" role="alertdialog" aria-labelledby={titleId} data-testid="incoming-call">
      <h2 id={titleId}>{nameOf(call.callerId)} is calling you</h2>
      <p className="muted">{others.length === 0 ? 'Direct call' : `Group call with ${others.map((member) => nameOf(member.userId)).join(', ')}`}</p>
      {inARoom() ? <p className="small">Answering leaves the call you are in.</p> : null}
      {props.silentReason ? <p className="small muted">{props.silentReason}</p> : null}
      {props.error ? (
        <p className="banner banner-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="row">
        {/* No autofocus: someone typing when a call comes in must not answer it with Enter. */}
        <button type="button" className="button button-primary" onClick={() => props.onAnswer('accept')}>
          Accept
        </button>
        <button type="button" className="button button-danger-solid" onClick={() => props.onAnswer('decline')}>
          Decline
        </button>
      </div>
    </section>
  );
}
