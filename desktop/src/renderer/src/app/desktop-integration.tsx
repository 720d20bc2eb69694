import { useEffect, useState } from 'react';
import type { createAppRouter } from './routes.js';
import { desktopBridge } from '../platform/desktop-bridge.js';
import { paths } from './paths.js';
import { useAuthState } from './services.js';

/**
 * Connects the desktop shell to the app: deep links, tray actions and notification clicks
 * navigate; nothing renders in a browser.
 */
export function DesktopIntegration({ router }: { router: ReturnType<typeof createAppRouter> | null }) {
  const auth = useAuthState();
  const [refusal, setRefusal] = useState<string | null>(null);
  const signedIn = auth.status === 'signed-in';

  useEffect(() => {
    const bridge = desktopBridge();
    if (!bridge || !router || !signedIn) return;
    const go = (path: string) => void router.navigate(path);
    const unsubscribers = [
      bridge.deepLinks.onOpen((event) => {
        if (event.ok) go(paths.meeting(event.link.meetingId));
        else setRefusal(`Collaro could not open that link: ${event.error}`);
      }),
      bridge.notifications.onClicked((target) => go(target.kind === 'channel' ? paths.channel(target.channelId) : paths.meeting(target.meetingId))),
      bridge.tray.onJoinMeeting(({ meetingId }) => go(paths.meeting(meetingId))),
      bridge.tray.onStartInstantMeeting(() => go(paths.newMeeting)),
    ];
    // Only now can links that arrived while the app was starting be delivered.
    void bridge.deepLinks.ready();
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [router, signedIn]);

  if (!refusal) return null;
  return (
    <div className="toast banner banner-error" role="alert">
      <span>{refusal}</span>
      <button type="button" className="button button-small" onClick={() => setRefusal(null)}>
        Dismiss
      </button>
    </div>
  );
}
