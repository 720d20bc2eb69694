import { useSyncExternalStore } from 'react';
import { themePreference, subscribeTheme, type ThemePreference } from './theme.js';

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribeTheme, themePreference);
}
