import type { DeepLinkEvent } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { DeepLinkService, findLinkInArgv, routeDeepLink, type DeepLinkApp } from '../../src/main/deep-links.js';

const server = 'https://collaro.example.com';
const meetingId = '3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b';

class FakeApp implements DeepLinkApp {
  readonly listeners = new Map<string, (...args: never[]) => void>();
  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  removeListener(event: string): this {
    this.listeners.delete(event);
    return this;
  }
  openUrl(url: string): boolean {
    let prevented = false;
    (this.listeners.get('open-url') as (event: { preventDefault(): void }, url: string) => void)({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
  secondInstance(argv: string[]): void {
    (this.listeners.get('second-instance') as (event: unknown, argv: string[]) => void)({}, argv);
  }
}

function setup(argv: string[] = ['/opt/Collaro/collaro']) {
  const app = new FakeApp();
  const delivered: DeepLinkEvent[] = [];
  let rendererListening = true;
  let focused = 0;
  const service = new DeepLinkService({
    app,
    argv,
    getBackendUrl: () => server,
    deliver: (event) => {
      if (!rendererListening) return false;
      delivered.push(event);
      return true;
    },
    focusApp: () => {
      focused += 1;
    },
  });
  return {
    app,
    service,
    delivered,
    focusCount: () => focused,
    setRendererListening: (value: boolean) => {
      rendererListening = value;
    },
  };
}

const opened = { ok: true, link: { kind: 'meeting', meetingId } } as const;

describe('deep-link routing', () => {
  it('holds a cold-start link until the renderer is ready, then delivers it once', () => {
    const { service, delivered } = setup(['/opt/Collaro/collaro', '--no-sandbox', `collaro://meeting/${meetingId}`]);
    service.start();
    expect(delivered).toEqual([]);
    expect(service.heldCount).toBe(1);
    service.markReady();
    expect(delivered).toEqual([opened]);
    service.markReady();
    expect(delivered).toHaveLength(1);
  });

  it('routes a second instance’s argv (Windows/Linux) and focuses the running window', () => {
    const { app, service, delivered, focusCount } = setup();
    service.start();
    service.markReady();
    app.secondInstance(['C:\\Collaro\\Collaro.exe', '--allow-file-access-from-files', `collaro://join?url=${encodeURIComponent(`${server}/m/${meetingId}`)}`]);
    expect(delivered).toEqual([opened]);
    expect(focusCount()).toBeGreaterThan(0);
  });

  it('routes macOS open-url, claiming the event', () => {
    const { app, service, delivered } = setup();
    service.start();
    service.markReady();
    expect(app.openUrl(`collaro://meeting/${meetingId}`)).toBe(true);
    expect(delivered).toEqual([opened]);
  });

  it('accepts the configured server’s https join link', () => {
    expect(routeDeepLink(`${server}/m/${meetingId}`, server)).toEqual(opened);
  });

  it('refuses a malformed link and a link to another server with a message the renderer shows', () => {
    const { app, service, delivered } = setup();
    service.start();
    app.openUrl('collaro://meeting/not-a-meeting');
    app.openUrl(`collaro://join?url=${encodeURIComponent(`https://evil.example.net/m/${meetingId}`)}`);
    expect(delivered).toEqual([]);
    service.markReady();
    expect(delivered).toHaveLength(2);
    expect(delivered[0]).toMatchObject({ ok: false, error: 'The meeting link does not name a valid meeting', input: 'collaro://meeting/not-a-meeting' });
    expect(delivered[1]).toMatchObject({ ok: false, error: expect.stringContaining('another server (evil.example.net)') });
  });

  it('holds links again after the renderer reloads, in arrival order', () => {
    const { app, service, delivered, setRendererListening } = setup();
    service.start();
    service.markReady();
    service.markNotReady();
    setRendererListening(false);
    app.openUrl(`collaro://meeting/${meetingId}`);
    app.openUrl('collaro://settings');
    expect(delivered).toEqual([]);
    setRendererListening(true);
    service.markReady();
    expect(delivered.map((event) => event.ok)).toEqual([true, false]);
  });

  it('finds the link among Chromium flags and ignores a command line without one', () => {
    expect(findLinkInArgv(['collaro', '--inspect', '-x', 'collaro://meeting/abc'])).toBe('collaro://meeting/abc');
    expect(findLinkInArgv(['collaro', '--hidden'])).toBeNull();
    expect(findLinkInArgv(['collaro://meeting/abc'])).toBeNull();
  });

  it('stops listening after dispose', () => {
    const { app, service } = setup();
    service.start();
    service.dispose();
    expect(app.listeners.size).toBe(0);
  });
});
