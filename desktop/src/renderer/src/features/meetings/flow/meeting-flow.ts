import type { JoinMeetingResponse } from '@collaro/shared';
import type { PreparedOffer } from '../mesh/client/index.js';
import type { CallCommands, CallExit, CallStatus, MediaChoice } from '../call/call-types.js';

/** What the pre-join preview shows: the camera and microphone opened last, and why they could not be. */
export interface DevicePreview {
  stream: MediaStream | null;
  error: string | null;
}

/**
 * Where a meeting screen is. Explicit transitions only:
 * lobby -> awaiting-devices (Join while the devices are still starting) -> joining -> in-call -> after;
 * a refused join goes back to the lobby with its error, and after a left or failed call `rejoin`
 * goes back to the lobby too. A removal or an ended meeting is final.
 */
export type MeetingFlowPhase =
  | { kind: 'lobby'; joinError: unknown }
  | { kind: 'awaiting-devices'; joinError: unknown }
  | { kind: 'joining' }
  | { kind: 'in-call'; join: JoinMeetingResponse; media: MediaChoice; prepared: PreparedOffer | null; status: CallStatus | null }
  | { kind: 'after'; exit: CallExit };

export interface MeetingFlowState {
  phase: MeetingFlowPhase;
  devices: DevicePreview;
}

/** The camera and microphone, as the browser gives them; `open` is null where it has none. */
export interface DeviceAccess {
  open: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | null;
  /** Why the devices could not be had, in words a user can act on (null: there is no way to ask). */
  describeError(error: unknown): string;
}

export interface MeetingFlowOptions {
  /** `POST .../join`: a place in the meeting and how to reach its video provider. */
  requestJoin: () => Promise<JoinMeetingResponse>;
  devices: DeviceAccess;
  /**
   * Makes the built-in mesh's offer while the join request is on its way (see mesh/mesh-join.ts);
   * null where the meeting is known not to be on the mesh.
   */
  prepareOffer: ((stream: MediaStream | null) => PreparedOffer | null) | null;
  /** Told of every join the server answered (the mesh remembers the ICE servers it named). */
  onJoined?: (response: JoinMeetingResponse) => void;
}

/** What the user chose on the pre-join, apart from the stream, which the flow owns. */
export type DeviceChoice = Omit<MediaChoice, 'stream'>;

const IDLE_STATUS: CallStatus = { muted: false, cameraOff: false, sharing: false };
const NO_DEVICES: DevicePreview = { stream: null, error: null };

function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Whether the user may go back to the pre-join from the screen after the call. */
export function canRejoin(exit: CallExit): boolean {
  return exit.reason === 'left' || exit.reason === 'failed';
}

/**
 * One meeting screen's flow, from the pre-join to the screen after the call, for members and
 * guests alike. It owns the camera and microphone from the moment the preview opens them until
 * the call is over (or the screen goes), the offer made ahead of the join, and the commands the
 * room binds for the shell (tray, shortcuts). Components render from `getState()` through
 * `useMeetingFlow` (meeting-flow-hooks.ts) and call its methods; the rooms report to it through
 * `setStatus`, `bindCommands` and `exit`, bound so they can be handed over as callbacks.
 */
export class MeetingFlow {
  private state: MeetingFlowState = { phase: { kind: 'lobby', joinError: null }, devices: NO_DEVICES };
  private listeners = new Set<() => void>();
  /** The latest request for the devices, and whether it has settled; older ones are stale. */
  private opening: Promise<MediaStream | null> | null = null;
  private openingSettled = true;
  /** What the latest settled request gave: the stream, or null where it failed. */
  private opened: MediaStream | null = null;
  private deviceRequest = 0;
  /** The preview's stream, and the one promised to a join under way or to the call. */
  private preview: MediaStream | null = null;
  private handed: MediaStream | null = null;
  /** Bumped by every join and by dispose: a join that finds another number has been overtaken. */
  private attempt = 0;
  private prepared: PreparedOffer | null = null;
  private holders = 0;
  private disposed = false;
  /** What the room bound for the shell; the bridge reads it when a shortcut or the tray acts. */
  readonly commands: { current: CallCommands | null } = { current: null };

  constructor(private readonly options: MeetingFlowOptions) {}

  getState = (): MeetingFlowState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The call's state for the shell while in the call, null otherwise. */
  callStatus(): CallStatus | null {
    const { phase } = this.state;
    return phase.kind === 'in-call' ? (phase.status ?? IDLE_STATUS) : null;
  }

  /**
   * Opens the chosen camera and microphone for the preview (the system's default for null). A
   * newer choice supersedes an older one, whose stream is stopped unless a join already took it.
   */
  openDevices(audioDeviceId: string | null, videoDeviceId: string | null): void {
    if (this.disposed) return;
    const request = ++this.deviceRequest;
    if (this.preview !== this.handed) stopStream(this.preview);
    this.preview = null;
    const open = this.options.devices.open;
    if (!open) {
      this.opening = null;
      this.openingSettled = true;
      this.opened = null;
      this.update({ devices: { ...this.state.devices, error: this.options.devices.describeError(null) } });
      return;
    }
    this.openingSettled = false;
    const opening = open({
      audio: audioDeviceId ? { deviceId: { exact: audioDeviceId } } : true,
      video: videoDeviceId
        ? { deviceId: { exact: videoDeviceId }, width: { ideal: 1280 }, height: { ideal: 720 } }
        : { width: { ideal: 1280 }, height: { ideal: 720 } },
    }).then(
      (media) => {
        if (request !== this.deviceRequest || this.disposed) {
          stopStream(media);
          return null;
        }
        this.openingSettled = true;
        this.opened = media;
        this.preview = media;
        this.update({ devices: { stream: media, error: null } });
        return media;
      },
      (error: unknown) => {
        if (request !== this.deviceRequest || this.disposed) return null;
        this.openingSettled = true;
        this.opened = null;
        this.update({ devices: { ...this.state.devices, error: this.options.devices.describeError(error) } });
        return null;
      },
    );
    this.opening = opening;
  }

  /**
   * Join with what the pre-join chose. Devices still starting are waited for (joining without
   * them would enter the call silent and dark); the mesh's offer is made as the request leaves.
   */
  async join(choice: DeviceChoice): Promise<void> {
    const { phase } = this.state;
    if (this.disposed || phase.kind !== 'lobby') return;
    const attempt = ++this.attempt;
    let stream = this.opened;
    if (!this.openingSettled) {
      this.update({ phase: { kind: 'awaiting-devices', joinError: phase.joinError } });
      stream = await this.devicesStarted();
      if (attempt !== this.attempt) return;
    }
    this.handed = stream;
    const hasMicrophone = (stream?.getAudioTracks().length ?? 0) > 0;
    const hasCamera = (stream?.getVideoTracks().length ?? 0) > 0;
    const media: MediaChoice = { ...choice, stream, micOn: choice.micOn && hasMicrophone, cameraOn: choice.cameraOn && hasCamera };
    this.prepared?.discard();
    this.prepared = null;
    this.update({ phase: { kind: 'joining' } });
    const request = this.options.requestJoin();
    // Settled below; until then a refusal must not count as unhandled.
    request.catch(() => undefined);
    // The offer is made a task later, once the request is on its way: creating the peer connection
    // holds up the page for a while, and the request would otherwise leave only after it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const ahead = !this.disposed && attempt === this.attempt ? (this.options.prepareOffer?.(stream) ?? null) : null;
    this.prepared = ahead;
    let response: JoinMeetingResponse;
    try {
      response = await request;
    } catch (error) {
      if (attempt !== this.attempt) return;
      ahead?.discard();
      this.prepared = null;
      // A refused join leaves the user on the pre-join, and the preview stays theirs to close.
      this.handed = null;
      this.update({ phase: { kind: 'lobby', joinError: error } });
      return;
    }
    if (attempt !== this.attempt) {
      ahead?.discard();
      return;
    }
    this.options.onJoined?.(response);
    const onMesh = response.provider === 'local';
    if (!onMesh) ahead?.discard();
    if (this.preview !== stream) stopStream(this.preview);
    this.preview = null;
    this.update({ phase: { kind: 'in-call', join: response, media, prepared: onMesh ? ahead : null, status: null } });
  }

  /** The stream of the latest request for the devices, once it settles (null if it failed). */
  private async devicesStarted(): Promise<MediaStream | null> {
    let pending = this.opening;
    let stream: MediaStream | null = null;
    while (pending) {
      stream = await pending;
      if (this.opening === pending) break;
      pending = this.opening;
    }
    return stream;
  }

  /** The room's microphone, camera and sharing state, for the shell. */
  setStatus = (status: CallStatus): void => {
    const { phase } = this.state;
    if (phase.kind === 'in-call') this.update({ phase: { ...phase, status } });
  };

  bindCommands = (commands: CallCommands | null): void => {
    this.commands.current = commands;
  };

  /** The call is over: the devices are let go, and the screen after the call says why. */
  exit = (exit: CallExit): void => {
    if (this.state.phase.kind !== 'in-call') return;
    stopStream(this.handed);
    this.handed = null;
    this.update({ phase: { kind: 'after', exit } });
  };

  /** From the screen after a call the user left (or that failed) back to the pre-join. */
  rejoin(): void {
    const { phase } = this.state;
    if (phase.kind !== 'after' || !canRejoin(phase.exit)) return;
    this.opening = null;
    this.openingSettled = true;
    this.opened = null;
    this.update({ phase: { kind: 'lobby', joinError: null }, devices: NO_DEVICES });
  }

  /**
   * Held by each mounted screen showing this flow; once none has held it for a task the flow is
   * disposed. Development's StrictMode unmounts and remounts at once: that keeps the devices.
   */
  retain(): () => void {
    this.holders += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      setTimeout(() => {
        if (this.holders === 0) this.dispose();
      }, 0);
    };
  }

  /** The screen is gone: a join under way never enters, and the devices and the offer are let go. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.attempt += 1;
    this.deviceRequest += 1;
    this.prepared?.discard();
    this.prepared = null;
    if (this.preview !== this.handed) stopStream(this.preview);
    stopStream(this.handed);
    this.preview = null;
    this.handed = null;
    this.commands.current = null;
  }

  private update(next: Partial<MeetingFlowState>): void {
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }
}
