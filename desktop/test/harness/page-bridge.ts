import type { BrowserContext, CDPSession, Frame, Page, Request, Route } from 'playwright-core';
import type { ControlChannel } from './control-channel.js';
import type { DisplayMediaAnswer, IpcInvokeResult, ProtocolResponse } from './harness-types.js';
import type { UrlBridge } from './url-bridge.js';
import { BINDING_NAME, type WindowHost } from './window-host.js';

/** A host the test serves itself (a stand-in for Clerk's Frontend API, say): matched before the network. */
export interface StandInRoute {
  matches(url: URL): boolean;
  handle(route: Route, request: Request): Promise<void>;
}

/** Permissions Chromium itself enforces once main has decided: the harness sets them for the page's origin. */
const CHROMIUM_PERMISSIONS = new Set(['loopback-network', 'local-network', 'local-network-access', 'notifications']);

export interface PageBridgeDeps {
  context: BrowserContext;
  control: ControlChannel;
  bridge: UrlBridge;
  browserSession: CDPSession;
  standIns: readonly StandInRoute[];
  hostOf(page: Page): WindowHost | undefined;
  /** A page the app did not open navigates: a popup (a link with target=_blank, say). */
  onPopup(page: Page, url: string): Promise<void>;
  violation(message: string): void;
  log(line: string): void;
}

/**
 * Connects one app's pages to its main process: every request of a privileged scheme is answered by
 * main's protocol handler, top-frame navigations pass `will-navigate`, and the page runtime's calls
 * (IPC, permissions, screen capture, window.open) reach main's real handlers.
 */
export class PageBridge {
  #browserContextId: string | null = null;

  constructor(private readonly deps: PageBridgeDeps) {}

  async install(): Promise<void> {
    await this.deps.context.route('**/*', (route, request) => this.#route(route, request));
    await this.deps.context.exposeBinding(BINDING_NAME, (source, operation: string, payload: Record<string, unknown>) =>
      this.#onPageCall(source, operation, payload),
    );
  }

  async #route(route: Route, request: Request): Promise<void> {
    const url = request.url();
    let frame: Frame | null;
    try {
      frame = request.frame();
    } catch {
      frame = null;
    }
    const page = frame?.page();
    const host = page ? this.deps.hostOf(page) : undefined;
    try {
      if (!host && page && request.isNavigationRequest() && frame === page.mainFrame()) {
        await route.abort('aborted');
        await this.deps.onPopup(page, url);
        return;
      }
      if (host && request.isNavigationRequest() && frame === page!.mainFrame()) {
        const decision = await host.onNavigationRequest(url, async () => {
          const answer = await this.deps.control.call<{ prevented: boolean }>('webContents.willNavigate', {
            webContentsId: host.params.webContentsId,
            url: this.deps.bridge.toReal(url),
          });
          return answer.prevented;
        });
        if (decision === 'abort') return await route.abort('aborted');
      }
      const real = this.deps.bridge.toReal(url);
      if (real !== url) return await this.#serveFromMain(route, request, real);
      const parsed = new URL(url);
      const standIn = this.deps.standIns.find((candidate) => candidate.matches(parsed));
      if (standIn) return await standIn.handle(route, request);
      await route.continue();
    } catch (error) {
      this.deps.log(`routing ${url} failed: ${String(error)}`);
      await route.abort('failed').catch(() => undefined);
    }
  }

  async #serveFromMain(route: Route, request: Request, realUrl: string): Promise<void> {
    const headers = await request.allHeaders().catch(() => request.headers());
    const answer = await this.deps.control.call<ProtocolResponse>('protocol.request', {
      url: realUrl,
      method: request.method(),
      headers: Object.entries(headers).filter(([name]) => !name.startsWith(':')),
      body: request.postDataBuffer() ?? null,
    });
    if (!answer.handled) {
      this.deps.violation(`a page asked for ${realUrl}, and main did not answer it: ${answer.reason}`);
      await route.abort('failed');
      return;
    }
    await route.fulfill({ status: answer.status, headers: Object.fromEntries(answer.headers), body: Buffer.from(answer.body) });
  }

  async #onPageCall(source: { page: Page; frame: Frame }, operation: string, payload: Record<string, unknown>): Promise<unknown> {
    const host = this.deps.hostOf(source.page);
    if (!host || host.destroyed) throw new Error('this page is no longer a window of the app');
    const webContentsId = host.params.webContentsId;
    const frameUrl = this.deps.bridge.toReal(source.frame.url());
    const control = this.deps.control;
    switch (operation) {
      case 'ipc.invoke':
        return control.call<IpcInvokeResult>('ipc.invoke', { webContentsId, frameUrl, channel: payload['channel'], args: payload['args'] });
      case 'ipc.send':
        return control.call('ipc.send', { webContentsId, frameUrl, channel: payload['channel'], args: payload['args'] });
      case 'permission.request': {
        const permission = String(payload['permission']);
        const granted = await control.call<boolean>('permission.request', {
          webContentsId,
          permission,
          requestingUrl: frameUrl,
          mediaTypes: payload['mediaTypes'],
        });
        if (CHROMIUM_PERMISSIONS.has(permission)) await this.#setChromiumPermission(source.page, new URL(source.frame.url()).origin, permission, granted);
        return granted;
      }
      case 'displayMedia.request':
        return control.call<DisplayMediaAnswer>('displayMedia.request', {
          webContentsId,
          frameUrl,
          audioRequested: payload['audio'] === true,
          videoRequested: payload['video'] !== false,
          userGesture: payload['userGesture'] === true,
        });
      case 'window.open':
        return control.call('webContents.windowOpen', {
          webContentsId,
          url: this.deps.bridge.toReal(String(payload['url'])),
          frameName: payload['frameName'],
          features: payload['features'],
        });
      case 'title':
        return control.call('webContents.event', { webContentsId, event: { type: 'page-title-updated', title: String(payload['title']) } });
      case 'violation':
        this.deps.violation(String(payload['message']));
        return null;
      default:
        throw new Error(`unknown page runtime call ${operation}`);
    }
  }

  async #setChromiumPermission(page: Page, origin: string, permission: string, granted: boolean): Promise<void> {
    if (!this.#browserContextId) {
      const session = await this.deps.context.newCDPSession(page);
      const info = (await session.send('Target.getTargetInfo')) as { targetInfo: { browserContextId?: string } };
      this.#browserContextId = info.targetInfo.browserContextId ?? null;
      await session.detach().catch(() => undefined);
    }
    const names = permission === 'local-network-access' ? ['local-network', 'loopback-network'] : [permission];
    for (const name of names) {
      await this.deps.browserSession.send('Browser.setPermission', {
        permission: { name },
        setting: granted ? 'granted' : 'denied',
        origin,
        ...(this.#browserContextId ? { browserContextId: this.#browserContextId } : {}),
      });
    }
  }
}
