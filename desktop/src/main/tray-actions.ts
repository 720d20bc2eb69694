import type { Availability } from '@collaro/shared';
import type { EmitEvent } from './ipc-router.js';
import type { TrayAction } from './tray-menu.js';

export interface TrayActionDeps {
  emit: EmitEvent;
  showApp(): void;
  /** Shows or hides the app window, as a click on the tray icon does. */
  toggleWindow(): void;
  joinNextMeeting(): void;
  chooseAvailability(availability: Availability): void;
  restartToUpdate(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

/** What each item of the tray menu does: most of them ask the app window, through the same events as its own controls. */
export function trayActionHandler(deps: TrayActionDeps): (action: TrayAction) => void {
  return (action) => {
    switch (action.type) {
      case 'join-meeting':
        deps.showApp();
        deps.emit('tray.joinMeeting', { meetingId: action.meetingId });
        return;
      case 'start-instant-meeting':
        deps.showApp();
        deps.emit('tray.startInstantMeeting', {});
        return;
      case 'join-next-meeting':
        deps.joinNextMeeting();
        return;
      case 'set-availability':
        deps.chooseAvailability(action.availability);
        return;
      case 'toggle-mute':
        deps.emit('call.toggleMute', { source: 'tray' });
        return;
      case 'toggle-camera':
        deps.emit('call.toggleCamera', { source: 'tray' });
        return;
      case 'leave-call':
        deps.emit('call.leave', { source: 'tray' });
        return;
      case 'restart-to-update':
        deps.restartToUpdate();
        return;
      case 'set-start-at-login':
        deps.setStartAtLogin(action.enabled);
        return;
      case 'toggle-window':
        deps.toggleWindow();
        return;
      case 'quit':
        deps.quit();
        return;
    }
  };
}
