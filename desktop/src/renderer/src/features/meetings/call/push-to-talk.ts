import { useEffect, useRef, useSyncExternalStore } from 'react';
import { z } from 'zod';

/** Where the push-to-talk choice is kept: it belongs to this device (and browser), like a keyboard. */
const STORAGE_KEY = 'collaro.pushToTalk';

const PushToTalkSettingsSchema = z.object({
  enabled: z.boolean(),
  /** `KeyboardEvent.code`: the key's place on the keyboard, whatever the layout prints on it. */
  code: z.string().min(1).max(40),
});
export type PushToTalkSettings = z.infer<typeof PushToTalkSettingsSchema>;
export const DEFAULT_PUSH_TO_TALK: PushToTalkSettings = { enabled: true, code: 'Space' };

/** Keys that cannot be held to talk: they would fight the app's own keyboard use. */
const RESERVED_CODES = new Set([
  'Escape',
  'Tab',
  'Enter',
  'NumpadEnter',
  'Backspace',
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'CapsLock',
]);

export function isUsablePushToTalkCode(code: string): boolean {
  return code.length > 0 && !RESERVED_CODES.has(code);
}

/** "Space", "T", "1", "F13": the key as a person would name it. */
export function pushToTalkKeyLabel(code: string): string {
  if (code.startsWith('Key')) return code.slice(3);
  if (code.startsWith('Digit')) return code.slice(5);
  if (code.startsWith('Numpad')) return `Numpad ${code.slice(6)}`;
  return code;
}

const settingsListeners = new Set<() => void>();
let cachedSettings: PushToTalkSettings | null = null;

export function readPushToTalkSettings(): PushToTalkSettings {
  if (cachedSettings) return cachedSettings;
  let stored: unknown = null;
  try {
    stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    // A damaged entry is the default again.
  }
  const parsed = PushToTalkSettingsSchema.safeParse(stored);
  cachedSettings = parsed.success && isUsablePushToTalkCode(parsed.data.code) ? parsed.data : DEFAULT_PUSH_TO_TALK;
  return cachedSettings;
}

export function savePushToTalkSettings(settings: PushToTalkSettings): void {
  const valid = PushToTalkSettingsSchema.parse(settings);
  if (!isUsablePushToTalkCode(valid.code)) throw new Error(`${pushToTalkKeyLabel(valid.code)} cannot be the push-to-talk key`);
  cachedSettings = valid;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(valid));
  settingsListeners.forEach((listener) => listener());
}

export function usePushToTalkSettings(): PushToTalkSettings {
  return useSyncExternalStore((listener) => {
    settingsListeners.add(listener);
    // Another tab or window changed it.
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY) return;
      cachedSettings = null;
      listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      settingsListeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  }, readPushToTalkSettings);
}

/** Whether the push-to-talk key is held right now, for the room's "Talking" indicator. */
let talking = false;
const talkingListeners = new Set<() => void>();
function setTalking(next: boolean): void {
  if (talking === next) return;
  talking = next;
  talkingListeners.forEach((listener) => listener());
}

export function useTalking(): boolean {
  return useSyncExternalStore(
    (listener) => {
      talkingListeners.add(listener);
      return () => talkingListeners.delete(listener);
    },
    () => talking,
  );
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Push to talk: while muted in a call, holding the key (Space unless changed in Settings) opens the
 * microphone and letting go mutes it again. It listens in this window only: a browser page, and
 * Electron (whose global shortcuts report no key release), cannot see a key held in another app.
 * Typing in a field never talks, and losing the focus while holding lets go.
 */
export function usePushToTalk(inCall: boolean, muted: boolean, setMuted: (muted: boolean) => void): boolean {
  const settings = usePushToTalkSettings();
  const state = useRef({ muted, setMuted });
  state.current = { muted, setMuted };

  useEffect(() => {
    if (!inCall || !settings.enabled) return;
    const release = () => {
      if (!talking) return;
      setTalking(false);
      state.current.setMuted(true);
    };
    const matches = (event: KeyboardEvent) =>
      event.code === settings.code && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target);
    const onKeyDown = (event: KeyboardEvent) => {
      if (!matches(event)) return;
      if (talking) {
        event.preventDefault();
        return;
      }
      if (event.repeat || !state.current.muted) return;
      // Space would also press the focused button (say, Mute) when released.
      event.preventDefault();
      setTalking(true);
      state.current.setMuted(false);
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.code !== settings.code || !talking) return;
      event.preventDefault();
      release();
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') release();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    window.addEventListener('blur', release);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
      window.removeEventListener('blur', release);
      document.removeEventListener('visibilitychange', onHidden);
      // The call ended or the setting changed mid-sentence: the microphone goes back to muted.
      release();
    };
  }, [inCall, settings.enabled, settings.code]);

  return useTalking();
}
