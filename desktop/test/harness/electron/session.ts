import { EventEmitter } from 'node:events';
import type { DisplayMediaAnswer, DisplayMediaParams, PermissionRequestParams } from '../harness-types.js';
import type { EmulationContext } from './context.js';
import type { WebContentsEmulation } from './web-contents.js';

type PermissionRequestHandler = (
  contents: WebContentsEmulation,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (
  contents: WebContentsEmulation | null,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;
type DisplayMediaHandler = (request: Record<string, unknown>, callback: (streams: Record<string, unknown> | null | undefined) => void) => void;
type HeadersListener = (
  details: { url: string; statusCode: number; responseHeaders: Record<string, string[]>; resourceType: string },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

/** How long main may take to answer a permission or screen-share request before the harness calls it hung. */
const ANSWER_TIMEOUT_MS = 30_000;

/** The origin in Electron's (GURL) spelling, with the trailing slash. */
function securityOrigin(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/`;
}

/** Electron's URL patterns: `scheme://host/path*`, `*` matching anything. */
function matchesPattern(url: string, pattern: string): boolean {
  const expression = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return expression.test(url);
}

/** `session.defaultSession`: the permission and screen-share handlers that decide what pages may do. */
export class SessionEmulation extends EventEmitter {
  _permissionRequestHandler: PermissionRequestHandler | null = null;
  _permissionCheckHandler: PermissionCheckHandler | null = null;
  _displayMediaHandler: DisplayMediaHandler | null = null;
  _displayMediaOptions: Record<string, unknown> = {};
  _headersListener: { urls: string[]; listener: HeadersListener } | null = null;
  _spellCheckerLanguages: string[] = ['en-US'];
  readonly _dictionaryWords: string[] = [];
  readonly _displayMediaGrants: { sourceId: string; name: string; audio: string | null }[] = [];
  readonly webRequest: Record<string, (...args: unknown[]) => void>;
  readonly availableSpellCheckerLanguages = ['en-US', 'en-GB', 'de', 'fr', 'es'];

  constructor(readonly _context: EmulationContext) {
    super();
    const unsupported = (name: string) => () => {
      _context.violation(`session.webRequest.${name} is not emulated`);
    };
    this.webRequest = {
      onHeadersReceived: (...args: unknown[]) => {
        const [filter, listener] = args.length === 2 ? args : [{ urls: [] }, args[0]];
        this._headersListener = listener ? { urls: (filter as { urls?: string[] }).urls ?? [], listener: listener as HeadersListener } : null;
      },
      onBeforeRequest: unsupported('onBeforeRequest'),
      onBeforeSendHeaders: unsupported('onBeforeSendHeaders'),
      onSendHeaders: unsupported('onSendHeaders'),
      onResponseStarted: unsupported('onResponseStarted'),
      onBeforeRedirect: unsupported('onBeforeRedirect'),
      onCompleted: unsupported('onCompleted'),
      onErrorOccurred: unsupported('onErrorOccurred'),
    };
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this._permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this._permissionCheckHandler = handler;
  }

  setDisplayMediaRequestHandler(handler: DisplayMediaHandler | null, options: Record<string, unknown> = {}): void {
    this._displayMediaHandler = handler;
    this._displayMediaOptions = options;
  }

  setSpellCheckerLanguages(languages: string[]): void {
    const unknown = languages.filter((language) => !this.availableSpellCheckerLanguages.includes(language));
    if (unknown.length > 0) throw this._context.violation(`setSpellCheckerLanguages: ${unknown.join(', ')} not available (Electron throws)`);
    this._spellCheckerLanguages = [...languages];
  }

  getSpellCheckerLanguages(): string[] {
    return [...this._spellCheckerLanguages];
  }

  setSpellCheckerEnabled(): void {}

  isSpellCheckerEnabled(): boolean {
    return true;
  }

  setSpellCheckerDictionaryDownloadURL(): void {}

  addWordToSpellCheckerDictionary(word: string): boolean {
    this._dictionaryWords.push(word);
    return true;
  }

  listWordsInSpellCheckerDictionary(): Promise<string[]> {
    return Promise.resolve([...this._dictionaryWords]);
  }

  clearStorageData(): Promise<void> {
    return Promise.resolve();
  }

  clearCache(): Promise<void> {
    return Promise.resolve();
  }

  getUserAgent(): string {
    return 'Collaro harness';
  }

  setUserAgent(): void {}

  /** A permission the page requested. With no handler Electron grants everything; the handler's answer decides. */
  _requestPermission(contents: WebContentsEmulation, params: PermissionRequestParams): Promise<boolean> {
    const handler = this._permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    const details: Record<string, unknown> = { requestingUrl: params.requestingUrl, isMainFrame: true };
    if (params.permission === 'media') {
      details['mediaTypes'] = params.mediaTypes ?? [];
      details['securityOrigin'] = securityOrigin(params.requestingUrl);
    }
    return this._awaitAnswer(`the permission request handler (${params.permission})`, (answer) =>
      handler(contents, params.permission, (granted) => answer(granted === true), details),
    );
  }

  _checkPermission(contents: WebContentsEmulation | null, permission: string, requestingUrl: string, mediaType?: string): boolean {
    const handler = this._permissionCheckHandler;
    if (!handler) return true;
    const details: Record<string, unknown> = {
      requestingUrl,
      isMainFrame: true,
      securityOrigin: securityOrigin(requestingUrl),
      embeddingOrigin: securityOrigin(requestingUrl),
    };
    if (mediaType) details['mediaType'] = mediaType;
    // Electron hands over the origin as a URL spec, trailing slash included.
    return handler(contents, permission, securityOrigin(requestingUrl), details) === true;
  }

  /** `getDisplayMedia` in a page: without a handler Electron refuses; the handler's streams decide what is shared. */
  _requestDisplayMedia(contents: WebContentsEmulation, params: DisplayMediaParams, sources: () => { id: string; name: string }[]): Promise<DisplayMediaAnswer> {
    const handler = this._displayMediaHandler;
    if (!handler) return Promise.resolve({ granted: false, reason: 'no display media request handler: Electron rejects getDisplayMedia' });
    const request = {
      frame: contents.mainFrame,
      securityOrigin: securityOrigin(params.frameUrl),
      videoRequested: params.videoRequested,
      audioRequested: params.audioRequested,
      userGesture: params.userGesture,
    };
    return this._awaitAnswer<DisplayMediaAnswer>('the display media request handler', (answer) => {
      let answered = false;
      handler(request, (streams) => {
        if (answered) throw this._context.violation('the display media callback was called twice: Electron throws');
        answered = true;
        if (!streams || !streams['video']) {
          answer({ granted: false, reason: 'main answered without a video source' });
          return;
        }
        const video = streams['video'] as { id?: unknown; name?: unknown };
        const offered = sources().find((source) => source.id === video.id);
        if (!offered) {
          throw this._context.violation(`the display media callback named ${String(video.id)}, which desktopCapturer did not offer: Electron throws`);
        }
        const audio = streams['audio'] === undefined ? null : String(streams['audio']);
        if (audio !== null && audio !== 'loopback' && audio !== 'loopbackWithMute') {
          throw this._context.violation(`the display media callback's audio must be 'loopback' or a frame, got ${audio}`);
        }
        if (audio !== null && process.platform !== 'win32')
          this._context.violation(`system audio ('${audio}') is only captured on Windows; Electron fails the request here`);
        this._displayMediaGrants.push({ sourceId: offered.id, name: offered.name, audio });
        answer({ granted: true, sourceId: offered.id, name: offered.name, audio: audio === null ? null : 'loopback' });
      });
    });
  }

  _awaitAnswer<T>(who: string, ask: (answer: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this._context.violation(`${who} never answered: the page waits forever`);
        reject(new Error(`${who} never answered`));
      }, ANSWER_TIMEOUT_MS);
      try {
        ask((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** `webRequest.onHeadersReceived` applies to protocol responses too. */
  async _applyHeadersListener(url: string, headers: Headers): Promise<Headers> {
    const registered = this._headersListener;
    if (!registered || (registered.urls.length > 0 && !registered.urls.some((pattern) => matchesPattern(url, pattern)))) return headers;
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of headers) responseHeaders[name] = [value];
    const answer = await new Promise<{ cancel?: boolean; responseHeaders?: Record<string, string | string[]> }>((resolve) =>
      registered.listener({ url, statusCode: 200, responseHeaders, resourceType: 'mainFrame' }, resolve),
    );
    if (!answer.responseHeaders) return headers;
    const result = new Headers();
    for (const [name, value] of Object.entries(answer.responseHeaders)) {
      for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
    }
    return result;
  }
}
