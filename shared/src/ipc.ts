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
import { notificationKind } from './notifications.js';
import { GlobalAcceleratorSchema } from './accelerator.js';
import {
  DesktopPermissionKindSchema,
  DesktopPermissionsReportSchema,
  OpenPermissionSettingsResultSchema,
  type DesktopPermissionKind,
  type DesktopPermissionsReport,
  type OpenPermissionSettingsResult,
} from './desktop-permissions.js';

/**
 * The windows Collaro opens: the app itself, the screen-share picker, the "You are sharing" bar and
 * the small always-on-top call window shown while the app window is hidden during a call.
 */
export const DESKTOP_WINDOW_KINDS = ['app', 'picker', 'sharing-bar', 'mini-call'] as const;
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
    cameraOff: z.boolean().default(false),
    /** The push-to-talk key is held: the microphone is live only while it is. */
    talking: z.boolean().default(false),
  })
  .refine((state) => state.inCall || (!state.muted && !state.sharing && !state.cameraOff && !state.talking && state.meetingId === null), {
    message: 'Outside a call nothing can be muted, shared, talked into or named',
  });
export type CallState = z.infer<typeof CallStateSchema>;
export const IDLE_CALL_STATE: CallState = { inCall: false, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };

/** A JPEG still of the active speaker's camera, as the small call window shows it (a few times a second). */
export const SpeakerFrameSchema = z
  .string()
  .max(300_000)
  .regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/=]+$/, 'must be a data:image/jpeg;base64 URL');

/** Who is talking in the call, for the small always-on-top call window. */
export const ActiveSpeakerSchema = z.object({
  name: ShortText,
  muted: z.boolean(),
  /** Null when the speaker's camera is off (the window shows their initials). */
  frame: SpeakerFrameSchema.nullable(),
});
export type ActiveSpeaker = z.infer<typeof ActiveSpeakerSchema>;

export const MiniCallViewSchema = z.object({
  speaker: ActiveSpeakerSchema.nullable(),
  /** This person's own microphone, for the window's Mute/Unmute. */
  muted: z.boolean(),
});
export type MiniCallView = z.infer<typeof MiniCallViewSchema>;
export const MiniCallCommandSchema = z.enum(['toggle-mute', 'leave', 'show']);
export type MiniCallCommand = z.infer<typeof MiniCallCommandSchema>;

/**
 * A banner main shows, of a kind from the one notification vocabulary (notifications.ts). A meeting
 * reminder covers the server's `meeting_reminder` and `meeting_started` alike: `startsAt` tells the
 * banner whether to say "starts in 4 minutes" or "has started".
 */
export const DesktopNotificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: notificationKind('meeting_reminder'), meetingId: IdSchema, title: ShortText, startsAt: IsoDateTime }),
  z.object({
    kind: notificationKind('mention'),
    channelId: IdSchema,
    channelName: ShortText,
    authorName: ShortText,
    preview: PreviewText,
  }),
  z.object({ kind: notificationKind('direct_message'), channelId: IdSchema, authorName: ShortText, preview: PreviewText }),
]);
export type DesktopNotification = z.infer<typeof DesktopNotificationSchema>;

/** A call ringing this person: main shows it with Accept and Decline and repeats it until told to stop or `ringsUntil`. */
export const IncomingCallSchema = z.object({
  callId: IdSchema,
  callerName: ShortText,
  /** The others rung with this person in a group call (empty for a one-to-one call). */
  otherNames: z.array(ShortText).max(16),
  ringsUntil: IsoDateTime,
});
export type IncomingCall = z.infer<typeof IncomingCallSchema>;
export const CallAnswerSchema = z.object({ callId: IdSchema, action: z.enum(['accept', 'decline', 'open']) });
export type CallAnswer = z.infer<typeof CallAnswerSchema>;

export const NotificationResultSchema = z.discriminatedUnion('shown', [
  z.object({ shown: z.literal(true) }),
  z.object({
    shown: z.literal(false),
    /** `expired`: a call asked to ring after its ringing time was up. */
    /** `system-do-not-disturb`: the operating system's own do-not-disturb or Focus is on. */
    reason: z.enum(['do-not-disturb', 'system-do-not-disturb', 'screen-sharing', 'unsupported', 'app-focused', 'expired']),
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
  /** Show a small always-on-top window with the active speaker while the app window is hidden in a call. */
  miniCallWindow: z.boolean(),
  /** The global shortcut that joins the next meeting; null when turned off. */
  joinNextShortcut: z.string().nullable(),
  /** `taken`: another application holds the combination, so it does nothing in Collaro. */
  joinNextShortcutStatus: z.enum(['registered', 'taken', 'off']),
});
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

export const DesktopSettingsPatchSchema = z
  .object({
    backendUrl: BackendUrlSchema.optional(),
    startAtLogin: z.boolean().optional(),
    miniCallWindow: z.boolean().optional(),
    joinNextShortcut: GlobalAcceleratorSchema.nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change');
export type DesktopSettingsPatch = z.input<typeof DesktopSettingsPatchSchema>;

/** Main's answer to "is this a Collaro server the app can use?", asked before an address is saved. */
export const ServerCheckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), origin: z.string() }),
  z.object({ ok: z.literal(false), problem: z.enum(['insecure', 'unreachable', 'not-collaro']), message: z.string().max(1000) }),
]);
export type ServerCheck = z.infer<typeof ServerCheckSchema>;

/** A deep link as the renderer receives it: an accepted meeting link or a refusal to show. */
export const DeepLinkEventSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), link: z.object({ kind: z.literal('meeting'), meetingId: IdSchema }) }),
  z.object({ ok: z.literal(false), error: z.string(), input: z.string().max(200) }),
]);
export type DeepLinkEvent = z.infer<typeof DeepLinkEventSchema>;

/** Main asks the app for the next meeting (the app holds the session); `requestId` pairs the answer. */
export const JoinNextRequestSchema = z.object({ requestId: z.number().int().positive(), source: z.enum(['shortcut', 'tray']) });
export type JoinNextRequest = z.infer<typeof JoinNextRequestSchema>;
export const JoinNextAnswerSchema = z.discriminatedUnion('found', [
  z.object({ requestId: z.number().int().positive(), found: z.literal(true), meetingId: IdSchema }),
  z.object({
    requestId: z.number().int().positive(),
    found: z.literal(false),
    /** `none`: nothing live or starting within ten minutes; `signed-out`: nobody to ask for; `failed`: the server could not be asked. */
    reason: z.enum(['none', 'signed-out', 'failed']),
    message: z.string().max(500),
  }),
]);
export type JoinNextAnswer = z.infer<typeof JoinNextAnswerSchema>;

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
  'settings.checkServer': { from: ['app'], input: BackendUrlSchema, output: ServerCheckSchema },
  'notifications.show': { from: ['app'], input: DesktopNotificationSchema, output: NotificationResultSchema },
  'tray.setMeetings': { from: ['app'], input: z.array(TrayMeetingSchema).max(MAX_TRAY_MEETINGS), output: Nothing },
  'tray.setStatus': { from: ['app'], input: AvailabilitySchema, output: Nothing },
  'tray.setUnread': { from: ['app'], input: UnreadCountSchema, output: Nothing },
  'call.setState': { from: ['app'], input: CallStateSchema, output: Nothing },
  /** Sent only while main asks for it (`call.speakerWanted`): the small call window is open. */
  'call.setSpeaker': { from: ['app'], input: ActiveSpeakerSchema.nullable(), output: Nothing },
  'miniCall.command': { from: ['mini-call'], input: MiniCallCommandSchema, output: Nothing },
  'calls.ring': { from: ['app'], input: IncomingCallSchema, output: NotificationResultSchema },
  'calls.stopRinging': { from: ['app'], input: z.object({ callId: IdSchema }), output: Nothing },
  'deepLinks.ready': { from: ['app'], input: Nothing, output: Nothing },
  'screenShare.listSources': { from: ['picker'], input: Nothing, output: ScreenSharePickerStateSchema },
  'screenShare.choose': { from: ['picker'], input: ScreenShareChoiceSchema, output: Nothing },
  'screenShare.stop': { from: ['app', 'sharing-bar'], input: Nothing, output: Nothing },
  'meetings.answerJoinNext': { from: ['app'], input: JoinNextAnswerSchema, output: Nothing },
  'permissions.get': { from: ['app'], input: Nothing, output: DesktopPermissionsReportSchema },
  'permissions.openSettings': { from: ['app'], input: DesktopPermissionKindSchema, output: OpenPermissionSettingsResultSchema },
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
  'call.toggleMute': { to: 'app', payload: z.object({ source: z.enum(['shortcut', 'tray', 'mini-window']) }) },
  'call.toggleCamera': { to: 'app', payload: z.object({ source: z.enum(['tray']) }) },
  'call.leave': { to: 'app', payload: z.object({ source: z.enum(['tray', 'mini-window']) }) },
  /** The small call window opened (true) or closed: the app sends the active speaker only meanwhile. */
  'call.speakerWanted': { to: 'app', payload: z.object({ wanted: z.boolean() }) },
  'miniCall.view': { to: 'mini-call', payload: MiniCallViewSchema },
  'notifications.clicked': { to: 'app', payload: NavigationTargetSchema },
  /** Accept or Decline pressed on a ringing notification, or the notification itself clicked (`open`). */
  'calls.answer': { to: 'app', payload: CallAnswerSchema },
  'screenShare.stopped': { to: 'app', payload: z.object({ source: z.enum(['sharing-bar', 'app', 'track-ended']) }) },
  /** The global shortcut or the tray's "Join next meeting": the app asks the server which meeting that is. */
  'meetings.joinNext': { to: 'app', payload: JoinNextRequestSchema },
  /** The person dismissed a meeting reminder: the server stops repeating it on every device. */
  'notifications.dismissed': { to: 'app', payload: z.object({ kind: z.literal('meeting'), meetingId: IdSchema }) },
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
    /** Asks main whether an address is a Collaro server this app can reach (the page itself may not, yet). */
    checkServer(backendUrl: string): Promise<ServerCheck>;
  };
  readonly notifications: {
    show(notification: DesktopNotification): Promise<NotificationResult>;
    onClicked(listener: (target: NavigationTarget) => void): Unsubscribe;
    onDismissed(listener: (dismissed: { kind: 'meeting'; meetingId: string }) => void): Unsubscribe;
  };
  readonly meetings: {
    /** The join-next shortcut or tray item: look the meeting up and `answerJoinNext`; main opens it or says there is none. */
    onJoinNext(listener: (request: JoinNextRequest) => void): Unsubscribe;
    answerJoinNext(answer: JoinNextAnswer): Promise<void>;
  };
  readonly permissions: {
    get(): Promise<DesktopPermissionsReport>;
    /** Opens the system settings page for one permission (from an allowlist of pages). */
    openSettings(kind: DesktopPermissionKind): Promise<OpenPermissionSettingsResult>;
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
    onToggleMute(listener: (event: { source: 'shortcut' | 'tray' | 'mini-window' }) => void): Unsubscribe;
    onToggleCamera(listener: () => void): Unsubscribe;
    onLeave(listener: () => void): Unsubscribe;
    setSpeaker(speaker: ActiveSpeaker | null): Promise<void>;
    onSpeakerWanted(listener: (event: { wanted: boolean }) => void): Unsubscribe;
  };
  readonly calls: {
    /** Rings until `stopRinging`, an answer on the notification, `ringsUntil`, or do-not-disturb. */
    ring(call: IncomingCall): Promise<NotificationResult>;
    stopRinging(callId: string): Promise<void>;
    onAnswer(listener: (answer: CallAnswer) => void): Unsubscribe;
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

/** `window.collaroMiniCall` in the small always-on-top call window. */
export interface CollaroMiniCallBridge {
  onView(listener: (view: MiniCallView) => void): Unsubscribe;
  command(command: MiniCallCommand): Promise<void>;
}

/** `window.collaroSharingBar` in the always-on-top "You are sharing — Stop" bar. */
export interface CollaroSharingBarBridge {
  stop(): Promise<void>;
}
