import { exposeClerkBridge } from '@clerk/electron/preload';
import { contextBridge } from 'electron';
import type { CollaroBridge } from '@collaro/shared';
import { invoke, subscribe } from './ipc-client.js';

/** `window.collaro`: the app window's whole reach into the desktop, as named actions. */
const collaro: CollaroBridge = {
  app: { info: () => invoke('app.info') },
  settings: {
    get: () => invoke('settings.get'),
    set: (patch) => invoke('settings.set', patch),
    checkServer: (backendUrl) => invoke('settings.checkServer', backendUrl),
  },
  notifications: {
    show: (notification) => invoke('notifications.show', notification),
    onClicked: (listener) => subscribe('notifications.clicked', listener),
    onDismissed: (listener) => subscribe('notifications.dismissed', listener),
  },
  meetings: {
    onJoinNext: (listener) => subscribe('meetings.joinNext', listener),
    answerJoinNext: (answer) => invoke('meetings.answerJoinNext', answer),
  },
  permissions: {
    get: () => invoke('permissions.get'),
    openSettings: (kind) => invoke('permissions.openSettings', kind),
  },
  tray: {
    setMeetings: (meetings) => invoke('tray.setMeetings', meetings),
    setStatus: (status) => invoke('tray.setStatus', status),
    setUnread: (count) => invoke('tray.setUnread', count),
    onJoinMeeting: (listener) => subscribe('tray.joinMeeting', listener),
    onStartInstantMeeting: (listener) => subscribe('tray.startInstantMeeting', () => listener()),
    onStatusChanged: (listener) => subscribe('tray.statusChanged', listener),
  },
  call: {
    setState: (state) => invoke('call.setState', state),
    setSpeaker: (speaker) => invoke('call.setSpeaker', speaker),
    onToggleMute: (listener) => subscribe('call.toggleMute', listener),
    onToggleCamera: (listener) => subscribe('call.toggleCamera', () => listener()),
    onLeave: (listener) => subscribe('call.leave', () => listener()),
    onSpeakerWanted: (listener) => subscribe('call.speakerWanted', listener),
  },
  calls: {
    ring: (call) => invoke('calls.ring', call),
    stopRinging: (callId) => invoke('calls.stopRinging', { callId }),
    onAnswer: (listener) => subscribe('calls.answer', listener),
  },
  screenShare: {
    stop: () => invoke('screenShare.stop'),
    onStopped: (listener) => subscribe('screenShare.stopped', listener),
  },
  deepLinks: {
    onOpen: (listener) => subscribe('deepLinks.open', listener),
    ready: () => invoke('deepLinks.ready'),
  },
};

contextBridge.exposeInMainWorld('collaro', collaro);
// Clerk's own narrow bridge (token cache and sign-in redirects) for @clerk/electron in the renderer.
exposeClerkBridge();
