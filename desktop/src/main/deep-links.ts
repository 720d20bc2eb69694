import { DEEP_LINK_SCHEME, DESKTOP_APP_SCHEME, parseDeepLink, parseJoinUrl, type DeepLinkEvent } from '@collaro/shared';

const PREVIEW_LENGTH = 200;

/**
 * Picks the link out of a command line. Windows and Linux hand a clicked `collaro://` link (or a join
 * link opened "with Collaro") to the app as an argument, next to the executable path and Chromium flags.
 */
export function findLinkInArgv(argv: readonly string[]): string | null {
  for (const argument of argv.slice(1)) {
    if (argument.startsWith('-')) continue;
    const lower = argument.toLowerCase();
    if (lower.startsWith(`${DEEP_LINK_SCHEME}:`) || lower.startsWith('https://') || lower.startsWith('http://')) return argument;
  }
  return null;
}

/** Turns raw link text into what the renderer is told: the meeting to open, or why the link was refused. */
export function routeDeepLink(input: string, backendUrl: string): DeepLinkEvent {
  const trimmed = input.trim();
  const result = trimmed.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`) ? parseDeepLink(trimmed, backendUrl) : parseJoinUrl(trimmed, backendUrl);
  return result.ok ? { ok: true, link: result.link } : { ok: false, error: result.error, input: trimmed.slice(0, PREVIEW_LENGTH) };
}

export interface DeepLinkApp {
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  removeListener(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  removeListener(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
}

export interface DeepLinkDeps {
  app: DeepLinkApp;
  /** The command line this process started with (a cold start from a clicked link). */
  argv: readonly string[];
  getBackendUrl: () => string;
  deliver: (event: DeepLinkEvent) => boolean;
  /** Brings the app window forward: a link or a refusal is shown where the user is looking. */
  focusApp: () => void;
}

/**
 * Receives links from every way the OS hands them over and delivers them once the renderer says it
 * is ready to show them. Until then they are held in arrival order, refusals included.
 */
export class DeepLinkService {
  readonly #deps: DeepLinkDeps;
  readonly #held: DeepLinkEvent[] = [];
  #ready = false;

  constructor(deps: DeepLinkDeps) {
    this.#deps = deps;
  }

  readonly #onOpenUrl = (event: { preventDefault(): void }, url: string): void => {
    // collaro-app://app/... is a sign-in coming back from the system browser: Clerk's bridge takes it.
    if (url.toLowerCase().startsWith(`${DESKTOP_APP_SCHEME}:`)) return;
    event.preventDefault();
    this.open(url);
  };

  readonly #onSecondInstance = (_event: unknown, argv: string[]): void => {
    const link = findLinkInArgv(argv);
    this.#deps.focusApp();
    if (link) this.open(link);
  };

  start(): void {
    this.#deps.app.on('open-url', this.#onOpenUrl);
    this.#deps.app.on('second-instance', this.#onSecondInstance);
    const coldStartLink = findLinkInArgv(this.#deps.argv);
    if (coldStartLink) this.open(coldStartLink);
  }

  dispose(): void {
    this.#deps.app.removeListener('open-url', this.#onOpenUrl);
    this.#deps.app.removeListener('second-instance', this.#onSecondInstance);
  }

  open(input: string): void {
    const event = routeDeepLink(input, this.#deps.getBackendUrl());
    this.#deps.focusApp();
    if (this.#ready && this.#deps.deliver(event)) return;
    this.#held.push(event);
  }

  /** The renderer has subscribed: everything held is delivered now, in order. */
  markReady(): void {
    this.#ready = true;
    while (this.#held.length > 0) {
      const next = this.#held[0]!;
      if (!this.#deps.deliver(next)) return;
      this.#held.shift();
    }
  }

  /** The renderer reloaded or crashed: hold links again until it is back. */
  markNotReady(): void {
    this.#ready = false;
  }

  get heldCount(): number {
    return this.#held.length;
  }
}
