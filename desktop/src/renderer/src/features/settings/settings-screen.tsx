import type { DesktopSettings } from '@collaro/shared';
import { useEffect, useState } from 'react';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { CallSettings } from './call-settings.js';
import { DesktopSections } from './desktop-sections.js';

/**
 * Settings of this device: how calls behave here (push to talk, and in the desktop app the small
 * call window). Each section says where its choice is kept.
 */
export function SettingsScreen() {
  const bridge = desktopBridge();
  const [desktop, setDesktop] = useState<DesktopSettings | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!bridge) return;
    bridge.settings.get().then(setDesktop, setError);
  }, [bridge]);

  const changeDesktop = (patch: Parameters<NonNullable<typeof bridge>['settings']['set']>[0]) => {
    if (!bridge) return;
    setError(null);
    bridge.settings.set(patch).then(setDesktop, setError);
  };

  return (
    <div className="page settings">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <ErrorBanner error={error} />
      <CallSettings desktop={desktop} onDesktopChange={changeDesktop} />
      <DesktopSections />
    </div>
  );
}
