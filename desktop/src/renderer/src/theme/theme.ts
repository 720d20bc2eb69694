export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const THEME_KEY = 'collaro.theme';
const listeners = new Set<() => void>();
const darkQuery = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

export function themePreference(): ThemePreference {
  const stored = localStorage.getItem(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function resolvedTheme(preference: ThemePreference = themePreference()): Theme {
  if (preference !== 'system') return preference;
  return darkQuery?.matches ? 'dark' : 'light';
}

export function applyTheme(): void {
  const theme = resolvedTheme();
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  for (const listener of listeners) listener();
}

export function setThemePreference(preference: ThemePreference): void {
  if (preference === 'system') localStorage.removeItem(THEME_KEY);
  else localStorage.setItem(THEME_KEY, preference);
  applyTheme();
}

/** Light, dark, then back to following the system. */
export function cycleTheme(): void {
  const order: ThemePreference[] = ['system', 'light', 'dark'];
  const next = order[(order.indexOf(themePreference()) + 1) % order.length]!;
  setThemePreference(next);
}

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Follows the OS switching between light and dark while the preference is "system". */
export function watchSystemTheme(): void {
  darkQuery?.addEventListener('change', () => {
    if (themePreference() === 'system') applyTheme();
  });
}
