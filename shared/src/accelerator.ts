import { z } from 'zod';

/**
 * Electron's accelerator grammar (https://www.electronjs.org/docs/latest/api/accelerator): modifiers
 * joined by `+` to exactly one key. A global shortcut must also hold a modifier other than Shift, or
 * it would take a letter away from every other application.
 */
const MODIFIERS: Record<string, string> = {
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  alt: 'Alt',
  option: 'Option',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Meta',
};

const NAMED_KEYS = [
  'Plus',
  'Space',
  'Tab',
  'Capslock',
  'Numlock',
  'Scrolllock',
  'Backspace',
  'Delete',
  'Insert',
  'Return',
  'Enter',
  'Up',
  'Down',
  'Left',
  'Right',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Escape',
  'Esc',
  'VolumeUp',
  'VolumeDown',
  'VolumeMute',
  'MediaNextTrack',
  'MediaPreviousTrack',
  'MediaStop',
  'MediaPlayPause',
  'PrintScreen',
  'numdec',
  'numadd',
  'numsub',
  'nummult',
  'numdiv',
];
const KEYS = new Map<string, string>(NAMED_KEYS.map((key) => [key.toLowerCase(), key]));
for (let n = 1; n <= 24; n += 1) KEYS.set(`f${n}`, `F${n}`);
for (let n = 0; n <= 9; n += 1) KEYS.set(`num${n}`, `num${n}`);
const PUNCTUATION = new Set(')!@#$%^&*(:;=<,_->.?/~`{][|\\}"\''.split(''));

export type AcceleratorCheck = { ok: true; accelerator: string } | { ok: false; message: string };

/** Checks and normalises an accelerator ("ctrl+shift+j" -> "Control+Shift+J"). */
export function parseGlobalAccelerator(input: string): AcceleratorCheck {
  const text = input.trim();
  if (text.length === 0 || text.length > 100) return { ok: false, message: 'Enter a shortcut such as CommandOrControl+Shift+J' };
  // "Ctrl++" means Control and the plus key: split on "+" but keep a trailing one as the key.
  const parts = text.endsWith('++') ? [...text.slice(0, -2).split('+'), '+'] : text.split('+');
  const key = parts.pop()!.trim();
  const modifiers: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIERS[part.trim().toLowerCase()];
    if (!modifier) return { ok: false, message: `"${part.trim()}" is not a modifier (use CommandOrControl, Alt, Shift, Super…)` };
    if (modifiers.includes(modifier)) return { ok: false, message: `${modifier} is named twice` };
    modifiers.push(modifier);
  }
  if (modifiers.every((modifier) => modifier === 'Shift')) {
    return { ok: false, message: 'A shortcut that works in every application needs CommandOrControl, Alt or Super as well' };
  }
  const normalisedKey = /^[a-z0-9]$/i.test(key) ? key.toUpperCase() : key === '+' ? 'Plus' : PUNCTUATION.has(key) ? key : KEYS.get(key.toLowerCase());
  if (!normalisedKey) return { ok: false, message: `"${key}" is not a key Electron knows (letters, digits, F1-F24, Space, Up…)` };
  return { ok: true, accelerator: [...modifiers, normalisedKey].join('+') };
}

export const GlobalAcceleratorSchema = z.string().transform((value, context) => {
  const parsed = parseGlobalAccelerator(value);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.accelerator;
});

export const DEFAULT_JOIN_NEXT_SHORTCUT = 'CommandOrControl+Shift+J';
