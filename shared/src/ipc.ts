/**
 * The contract between Collaro's Electron main process and its windows, declared once.
 *
 * Main validates every argument it receives against the `input` schema of the channel and only
 * answers senders of the window kinds listed in `from`. The preload scripts expose each channel as
 * a named action (`window.collaro.tray.setMeetings(...)`), never a generic invoke. Events flow the
 * other way (main -> window) and are validated by main before they are sent.
 */
import { z } from 'zod';
import { IdSchema } from './api/common.js';

/** The windows Collaro opens: the app itself, the screen-share picker and the "You are sharing" bar. */
export const DESKTOP_WINDOW_KINDS = ['app', 'picker', 'sharing-bar'] as const;
export type DesktopWindowKind = (typeof DESKTOP_WINDOW_KINDS)[number];

/** The privileged scheme and host the packaged renderer is served from (never file://). */
export const DESKTOP_APP_SCHEME = 'collaro-app';
export const DESKTOP_APP_HOST = 'app';
export const DESKTOP_APP_ORIGIN = `${DESKTOP_APP_SCHEME}://${DESKTOP_APP_HOST}`;
export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:4000';

const ShortText = z.string().trim().min(1).max(200);
const PreviewText = z.string().max(500);
const IsoDateTime = z.iso.datetime({ offset: true });

export const BackendUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'The server address must be an http:// or https:// address such as https://collaro.example.com')
  .transform((value) => new URL(value).origin);

export const AvailabilitySchema = z.enum(['available', 'do-not-disturb']);
export type Availability = z.infer<typeof AvailabilitySchema>;

/** A meeting as the tray lists it: enough to show "09:30 Standup — Join". */
export const TrayMeetingSchema = z.object({
  id: IdSchema,
  title: ShortText,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
});
export type TrayMeeting = z.infer<typeof TrayMeetingSchema>;
export const MAX_TRAY_MEETINGS = 100;

export const CallStateSchema = z
  .object({
    inCall: z.boolean(),
    muted: z.boolean(),
    sharing: z.boolean(),
    meetingId: IdSchema.nullable(),
  })
  .refine((state) => state.inCall || (!state.muted && !state.sharing && state.meetingId === null), {
    message: 'Outside a call nothing can be muted, shared or named',
  });
export type CallState = z.infer<typeof CallStateSchema>;
export const IDLE_CALL_STATE: CallState = { inCall: false, muted: false, sharing: false, meetingId: null };

export const DesktopNotificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('meeting-starting'), meetingId: IdSchema, title: ShortText, startsAt: IsoDateTime }),
  z.object({
    kind: z.literal('mention'),
    channelId: IdSchema,
    channelName: ShortText,
    authorName: ShortText,
    preview: PreviewText,
  }),
  z.object({ kind: z.literal('direct-message'), channelId: IdSchema, authorName: ShortText, preview: PreviewText }),
  z.object({ kind: z.literal('meeting-invitation'), meetingId: IdSchema, title: ShortText, inviterName: ShortText }),
]);
export type DesktopNotification = z.infer<typeof DesktopNotificationSchema>;

export const NotificationResultSchema = z.discriminatedUnion('shown', [
  z.object({ shown: z.literal(true) }),
  z.object({
    shown: z.literal(false),
    reason: z.enum(['do-not-disturb', 'screen-sharing', 'unsupported', 'app-focused']),
  }),
]);
export type NotificationResult = z.infer<typeof NotificationResultSchema>;

/** Where a click on a notification (or a tray item) takes the user. */
export const NavigationTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('channel'), channelId: IdSchema }),
  z.object({ kind: z.literal('meeting'), meetingId: IdSchema }),
]);
export type NavigationTarget = z.infer<typeof NavigationTargetSchema>;

export const ScreenShareSourceSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(500),
  kind: z.enum(['screen', 'window']),
  /** A PNG data URL, empty when the system gave no thumbnail. */
  thumbnailDataUrl: z.string().max(2_000_000),
  appIconDataUrl: z.string().max(500_000).nullable(),
});
export type ScreenShareSource = z.infer<typeof ScreenShareSourceSchema>;

export const ScreenSharePickerStateSchema = z.object({
  sources: z.array(ScreenShareSourceSchema),
  /** System audio capture ("loopback") is offered on Windows only. */
  systemAudioAvailable: z.boolean(),
});
export type ScreenSharePickerState = z.infer<typeof ScreenSharePickerStateSchema>;

export const ScreenShareChoiceSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('share'), sourceId: z.string().min(1).max(200), systemAudio: z.boolean() }),
  z.object({ action: z.literal('cancel') }),
]);
export type ScreenShareChoice = z.infer<typeof ScreenShareChoiceSchema>;

export const DesktopSettingsSchema = z.object({
  backendUrl: z.string(),
  /** False until the user has confirmed a server address: the app asks on first run. */
  backendUrlConfirmed: z.boolean(),
  startAtLogin: z.boolean(),
});
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

export const DesktopSettingsPatchSchema = z
  .object({ backendUrl: BackendUrlSchema.optional(), startAtLogin: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change');
export type DesktopSettingsPatch = z.input<typeof DesktopSettingsPatchSchema>;

/** A deep link as the renderer receives it: an accepted meeting link or a refusal to show. */
export const DeepLinkEventSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), link: z.object({ kind: z.literal('meeting'), meetingId: IdSchema }) }),
  z.object({ ok: z.literal(false), error: z.string(), input: z.string().max(200) }),
]);
export type DeepLinkEvent = z.infer<typeof DeepLinkEventSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux', 'other']),
  packaged: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const Nothing = z.undefined();
const UnreadCountSchema = z.number().int().min(0).max(1_000_000);

/** Renderer -> main requests. `from` lists the windows allowed to send each one. */
export const ipcInvokeContract = {
  'app.info': { from: ['app'], input: Nothing, output: AppInfoSchema },
  'settings.get': { from: ['app'], input: Nothing, output: DesktopSettingsSchema },
  'settings.set': { from: ['app'], input: DesktopSettingsPatchSchema, output: DesktopSettingsSchema },
  'notifications.show': { from: ['app'], input: DesktopNotificationSchema, output: NotificationResultSchema },
  'tray.setMeetings': { from: ['app'], input: z.array(TrayMeetingSchema).max(MAX_TRAY_MEETINGS), output: Nothing },
  'tray.setStatus': { from: ['app'], input: AvailabilitySchema, output: Nothing },
  'tray.setUnread': { from: ['app'], input: UnreadCountSchema, output: Nothing },
  'call.setState': { from: ['app'], input: CallStateSchema, output: Nothing },
  'deepLinks.ready': { from: ['app'], input: Nothing, output: Nothing },
  'screenShare.listSources': { from: ['picker'], input: Nothing, output: ScreenSharePickerStateSchema },
  'screenShare.choose': { from: ['picker'], input: ScreenShareChoiceSchema, output: Nothing },
  'screenShare.stop': { from: ['app', 'sharing-bar'], input: Nothing, output: Nothing },
} as const satisfies Record<string, { from: readonly DesktopWindowKind[]; input: z.ZodType; output: z.ZodType }>;

export type IpcInvokeChannel = keyof typeof ipcInvokeContract;
export type IpcInput<C extends IpcInvokeChannel> = z.input<(typeof ipcInvokeContract)[C]['input']>;
export type IpcParsedInput<C extends IpcInvokeChannel> = z.output<(typeof ipcInvokeContract)[C]['input']>;
export type IpcOutput<C extends IpcInvokeChannel> = z.output<(typeof ipcInvokeContract)[C]['output']>;

/** Main -> window events. `to` is the window that receives each one. */
export const ipcEventContract = {
  'deepLinks.open': { to: 'app', payload: DeepLinkEventSchema },
  'tray.joinMeeting': { to: 'app', payload: z.object({ meetingId: IdSchema }) },
  'tray.startInstantMeeting': { to: 'app', payload: z.object({}) },
  'tray.statusChanged': { to: 'app', payload: AvailabilitySchema },
  'call.toggleMute': { to: 'app', payload: z.object({ source: z.enum(['shortcut', 'tray']) }) },
  'call.leave': { to: 'app', payload: z.object({ source: z.enum(['tray']) }) },
  'notifications.clicked': { to: 'app', payload: NavigationTargetSchema },
  'screenShare.stopped': { to: 'app', payload: z.object({ source: z.enum(['sharing-bar', 'app', 'track-ended']) }) },
} as const satisfies Record<string, { to: DesktopWindowKind; payload: z.ZodType }>;

export type IpcEventChannel = keyof typeof ipcEventContract;
export type IpcEventPayload<C extends IpcEventChannel> = z.output<(typeof ipcEventContract)[C]['payload']>;

/** Every IPC channel name carries this prefix so Collaro's channels cannot collide with Electron's. */
export const IPC_CHANNEL_PREFIX = 'collaro:';
export const ipcChannelName = (channel: IpcInvokeChannel | IpcEventChannel): string => `${IPC_CHANNEL_PREFIX}${channel}`;

/** Answer of every invoke: main never throws across IPC, it reports a precise refusal instead. */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: { code: 'forbidden-sender' | 'invalid-argument' | 'failed'; message: string } };

export type Unsubscribe = () => void;

/** `window.collaro` in the app window: named actions only. */
export interface CollaroBridge {
  readonly app: { info(): Promise<AppInfo> };
  readonly settings: {
    get(): Promise<DesktopSettings>;
    /** A new `backendUrl` reloads the app window: the page's CSP allows only the server it was loaded for. */
    set(patch: DesktopSettingsPatch): Promise<DesktopSettings>;
  };
  readonly notifications: {
    show(notification: DesktopNotification): Promise<NotificationResult>;
    onClicked(listener: (target: NavigationTarget) => void): Unsubscribe;
  };
  readonly tray: {
    setMeetings(meetings: TrayMeeting[]): Promise<void>;
    setStatus(status: Availability): Promise<void>;
    setUnread(count: number): Promise<void>;
    onJoinMeeting(listener: (meeting: { meetingId: string }) => void): Unsubscribe;
    onStartInstantMeeting(listener: () => void): Unsubscribe;
    onStatusChanged(listener: (status: Availability) => void): Unsubscribe;
  };
  readonly call: {
    setState(state: CallState): Promise<void>;
    onToggleMute(listener: (event: { source: 'shortcut' | 'tray' }) => void): Unsubscribe;
    onLeave(listener: () => void): Unsubscribe;
  };
  readonly screenShare: {
    stop(): Promise<void>;
    onStopped(listener: (event: { source: 'sharing-bar' | 'app' | 'track-ended' }) => void): Unsubscribe;
  };
  readonly deepLinks: {
    /** Links that arrive before `ready()` are held by main and delivered right after it. */
    onOpen(listener: (event: DeepLinkEvent) => void): Unsubscribe;
    ready(): Promise<void>;
  };
}

/** `window.collaroPicker` in the screen-share picker window. */
export interface CollaroPickerBridge {
  listSources(): Promise<ScreenSharePickerState>;
  choose(choice: ScreenShareChoice): Promise<void>;
}

/** `window.collaroSharingBar` in the always-on-top "You are sharing — Stop" bar. */
export interface CollaroSharingBarBridge {
  stop(): Promise<void>;
}
