import type { ScreenShareChoice, ScreenSharePickerState, ScreenShareSource } from '@collaro/shared';

/** What the service needs of a desktopCapturer source. */
export interface CapturerSourceLike {
  id: string;
  name: string;
  display_id: string;
  thumbnail: { isEmpty(): boolean; toDataURL(): string };
  appIcon: { isEmpty(): boolean; toDataURL(): string } | null;
}

export interface DisplayMediaRequestLike {
  securityOrigin: string;
  audioRequested: boolean;
  videoRequested: boolean;
}

export type StreamsLike<Source> = { video: Source; audio?: 'loopback' } | null;

export function sourceKind(source: Pick<CapturerSourceLike, 'id'>): 'screen' | 'window' {
  return source.id.startsWith('screen:') ? 'screen' : 'window';
}

/**
 * The sources the picker offers: every screen, and the windows a person would want to share: not
 * Collaro's own windows (sharing the picker or the meeting into the meeting is a mirror hall), not
 * untitled helper windows, not windows the system could not draw (minimized, off-screen).
 */
export function filterShareableSources<S extends CapturerSourceLike>(sources: readonly S[], ownMediaSourceIds: ReadonlySet<string>): S[] {
  const screens = sources.filter((source) => sourceKind(source) === 'screen');
  const windows = sources
    .filter((source) => sourceKind(source) === 'window')
    .filter((source) => !ownMediaSourceIds.has(source.id))
    .filter((source) => source.name.trim() !== '')
    .filter((source) => !source.thumbnail.isEmpty())
    .sort((a, b) => a.name.localeCompare(b.name));
  return [...screens, ...windows];
}

export function toPickerSource(source: CapturerSourceLike): ScreenShareSource {
  const kind = sourceKind(source);
  return {
    id: source.id,
    name: source.name.trim() || (kind === 'screen' ? 'Entire screen' : 'Window'),
    kind,
    thumbnailDataUrl: source.thumbnail.isEmpty() ? '' : source.thumbnail.toDataURL(),
    appIconDataUrl: source.appIcon && !source.appIcon.isEmpty() ? source.appIcon.toDataURL() : null,
  };
}

export interface ClosableWindow {
  close(): void;
  isDestroyed(): boolean;
  once(event: 'closed', listener: () => void): unknown;
}

export interface ScreenShareDeps<S extends CapturerSourceLike> {
  setDisplayMediaRequestHandler: (handler: (request: DisplayMediaRequestLike, callback: (streams: StreamsLike<S>) => void) => void) => void;
  clearDisplayMediaRequestHandler: () => void;
  getSources: () => Promise<S[]>;
  /** Media source ids of Collaro's own windows, left out of the picker. */
  ownMediaSourceIds: () => ReadonlySet<string>;
  appOrigin: string;
  platform: NodeJS.Platform;
  openPicker: () => ClosableWindow;
  openSharingBar: () => ClosableWindow;
  /** Tells the app window that sharing stopped from outside it (the bar's Stop button). */
  onStoppedOutsideApp: (source: 'sharing-bar') => void;
  log: (message: string) => void;
}

interface PendingRequest<S> {
  callback: (streams: StreamsLike<S>) => void;
  sources: S[];
  audioRequested: boolean;
  /** Null while the sources are being listed, before the picker opens. */
  picker: ClosableWindow | null;
}

/**
 * Every `getDisplayMedia` call of the app (local mesh or Stream alike) lands here: Collaro's own
 * picker chooses the source, and a small always-on-top bar stays up while the screen is shared.
 * Every request gets exactly one answer, however requests overlap or the service ends.
 */
export class ScreenShareService<S extends CapturerSourceLike> {
  readonly #deps: ScreenShareDeps<S>;
  #pending: PendingRequest<S> | null = null;
  #bar: ClosableWindow | null = null;

  constructor(deps: ScreenShareDeps<S>) {
    this.#deps = deps;
  }

  start(): void {
    this.#deps.setDisplayMediaRequestHandler((request, callback) => {
      void this.handleRequest(request, callback);
    });
  }

  dispose(): void {
    this.#deps.clearDisplayMediaRequestHandler();
    this.#settle(null);
    this.#closeBar();
  }

  async handleRequest(request: DisplayMediaRequestLike, callback: (streams: StreamsLike<S>) => void): Promise<void> {
    if (request.securityOrigin.replace(/\/$/, '') !== this.#deps.appOrigin || !request.videoRequested) {
      this.#deps.log(`Screen capture refused for ${request.securityOrigin}`);
      callback(null);
      return;
    }
    if (this.#pending) {
      // One picker at a time: a second request while the first is open is refused, not queued.
      callback(null);
      return;
    }
    // Claimed before listing the sources, so a request arriving meanwhile is refused instead of
    // taking this one's place and leaving it unanswered.
    const pending: PendingRequest<S> = { callback, sources: [], audioRequested: request.audioRequested, picker: null };
    this.#pending = pending;
    let sources: S[];
    try {
      sources = filterShareableSources(await this.#deps.getSources(), this.#deps.ownMediaSourceIds());
    } catch (error) {
      this.#deps.log(`Could not list screens and windows: ${String(error)}`);
      if (this.#pending === pending) this.#settle(null);
      return;
    }
    // Already answered (the service was disposed while the sources were listed).
    if (this.#pending !== pending) return;
    pending.sources = sources;
    const picker = this.#deps.openPicker();
    pending.picker = picker;
    // Closing the picker window without choosing is a cancel.
    picker.once('closed', () => {
      if (this.#pending === pending) this.#settle(null);
    });
  }

  pickerState(): ScreenSharePickerState {
    const pending = this.#pending;
    return {
      sources: pending ? pending.sources.map(toPickerSource) : [],
      systemAudioAvailable: this.#deps.platform === 'win32' && (pending?.audioRequested ?? false),
    };
  }

  choose(choice: ScreenShareChoice): void {
    const pending = this.#pending;
    if (!pending?.picker) throw new Error('No screen share is waiting for a choice');
    if (choice.action === 'cancel') {
      this.#settle(null);
      return;
    }
    const source = pending.sources.find((candidate) => candidate.id === choice.sourceId);
    if (!source) throw new Error('That screen or window is not one the picker offered');
    const withAudio = choice.systemAudio && this.#deps.platform === 'win32' && pending.audioRequested;
    this.#settle(withAudio ? { video: source, audio: 'loopback' } : { video: source });
    this.#openBar();
  }

  /** Stop pressed on the sharing bar: the app stops its tracks, then reports `sharing: false`. */
  stopFromBar(): void {
    this.#closeBar();
    this.#deps.onStoppedOutsideApp('sharing-bar');
  }

  /** The app reported its sharing state (it may also have stopped sharing on its own). */
  onSharingChanged(sharing: boolean): void {
    if (sharing) this.#openBar();
    else this.#closeBar();
  }

  get isPickerOpen(): boolean {
    return this.#pending?.picker != null;
  }

  get isBarOpen(): boolean {
    return this.#bar !== null;
  }

  #settle(streams: StreamsLike<S>): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    try {
      pending.callback(streams);
    } catch (error) {
      // The requesting frame may be gone by now; Electron throws rather than ignoring the answer.
      this.#deps.log(`Screen share answer not delivered: ${String(error)}`);
    }
    if (pending.picker && !pending.picker.isDestroyed()) pending.picker.close();
  }

  #openBar(): void {
    if (this.#bar && !this.#bar.isDestroyed()) return;
    const bar = this.#deps.openSharingBar();
    this.#bar = bar;
    bar.once('closed', () => {
      if (this.#bar === bar) this.#bar = null;
    });
  }

  #closeBar(): void {
    const bar = this.#bar;
    this.#bar = null;
    if (bar && !bar.isDestroyed()) bar.close();
  }
}
