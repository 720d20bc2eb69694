import { useEffect, useRef } from 'react';

/**
 * A keyboard shortcut such as "mod+k", "alt+h", "shift+?" or "m". `mod` is Cmd on macOS and Ctrl
 * elsewhere. Plain-key shortcuts stay silent while the user types in a field.
 */
export function matchesHotkey(event: KeyboardEvent, combo: string, isMac: boolean): boolean {
  const parts = combo.toLowerCase().split('+');
  const key = parts.pop();
  const wants = new Set(parts);
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (wants.has('mod') !== mod) return false;
  if (wants.has('alt') !== event.altKey) return false;
  if (wants.has('shift') !== event.shiftKey && key !== '?') return false;
  if (!wants.has('mod') && (isMac ? event.ctrlKey : event.metaKey)) return false;
  const pressed = event.code.startsWith('Key')
    ? event.code.slice(3).toLowerCase()
    : event.code.startsWith('Digit')
      ? event.code.slice(5)
      : event.key.toLowerCase();
  return pressed === key || event.key.toLowerCase() === key;
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useHotkey(combo: string, handler: (event: KeyboardEvent) => void, enabled = true): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
    const usesModifier = /(mod|alt)\+/.test(combo.toLowerCase());
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      if (!usesModifier && isTypingTarget(event.target)) return;
      if (!matchesHotkey(event, combo, isMac)) return;
      event.preventDefault();
      handlerRef.current(event);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [combo, enabled]);
}
