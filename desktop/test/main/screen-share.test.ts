import { describe, expect, it } from 'vitest';
import { filterShareableSources, ScreenShareService, type CapturerSourceLike, type ClosableWindow, type StreamsLike } from '../../src/main/screen-share.js';

const image = (empty = false) => ({ isEmpty: () => empty, toDataURL: () => (empty ? 'data:image/png;base64,' : 'data:image/png;base64,AAAA') });
const source = (id: string, name: string, emptyThumbnail = false): CapturerSourceLike => ({
  id,
  name,
  display_id: id.startsWith('screen:') ? '1' : '',
  thumbnail: image(emptyThumbnail),
  appIcon: id.startsWith('window:') ? image() : null,
});

const sources = [
  source('window:10:0', 'Terminal'),
  source('screen:1:0', 'Screen 1'),
  source('window:11:0', 'Collaro'),
  source('window:12:0', ''),
  source('window:13:0', 'Minimised editor', true),
  source('window:14:0', 'Browser'),
  source('screen:2:0', 'Screen 2'),
];

class FakeWindow implements ClosableWindow {
  closed = false;
  #onClosed: (() => void) | null = null;
  close(): void {
    this.closed = true;
    this.#onClosed?.();
  }
  isDestroyed(): boolean {
    return this.closed;
  }
  once(_event: 'closed', listener: () => void): this {
    this.#onClosed = listener;
    return this;
  }
}

describe('picker source filtering', () => {
  it('offers every screen first, then named, visible windows other than Collaro’s own, by name', () => {
    const filtered = filterShareableSources(sources, new Set(['window:11:0']));
    expect(filtered.map((entry) => entry.name)).toEqual(['Screen 1', 'Screen 2', 'Browser', 'Terminal']);
  });
});

function setup(platform: NodeJS.Platform = 'linux') {
  let handler:
    | ((
        request: { securityOrigin: string; audioRequested: boolean; videoRequested: boolean },
        callback: (streams: StreamsLike<CapturerSourceLike>) => void,
      ) => void)
    | null = null;
  const pickers: FakeWindow[] = [];
  const bars: FakeWindow[] = [];
  const stopped: string[] = [];
  const service = new ScreenShareService<CapturerSourceLike>({
    setDisplayMediaRequestHandler: (next) => {
      handler = next;
    },
    clearDisplayMediaRequestHandler: () => {
      handler = null;
    },
    getSources: async () => sources,
    ownMediaSourceIds: () => new Set(['window:11:0']),
    appOrigin: 'collaro-app://app',
    platform,
    openPicker: () => {
      const window = new FakeWindow();
      pickers.push(window);
      return window;
    },
    openSharingBar: () => {
      const window = new FakeWindow();
      bars.push(window);
      return window;
    },
    onStoppedOutsideApp: (source) => stopped.push(source),
    log: () => undefined,
  });
  service.start();
  const request = async (origin = 'collaro-app://app', audioRequested = false) => {
    const answers: StreamsLike<CapturerSourceLike>[] = [];
    handler!({ securityOrigin: origin, audioRequested, videoRequested: true }, (streams) => answers.push(streams));
    await new Promise((resolve) => setImmediate(resolve));
    return answers;
  };
  /** Sends a request without waiting, as Chromium does when two arrive together. */
  const issue = () => {
    const answers: StreamsLike<CapturerSourceLike>[] = [];
    handler!({ securityOrigin: 'collaro-app://app', audioRequested: false, videoRequested: true }, (streams) => answers.push(streams));
    return answers;
  };
  return { service, pickers, bars, stopped, request, issue, hasHandler: () => handler !== null };
}

describe('screen share', () => {
  it('opens Collaro’s picker for getDisplayMedia and grants exactly the chosen source, then shows the sharing bar', async () => {
    const { service, pickers, bars, request } = setup();
    const answers = await request();
    expect(pickers).toHaveLength(1);
    expect(answers).toEqual([]);
    const state = service.pickerState();
    expect(state.sources.map((entry) => [entry.kind, entry.name])).toEqual([
      ['screen', 'Screen 1'],
      ['screen', 'Screen 2'],
      ['window', 'Browser'],
      ['window', 'Terminal'],
    ]);
    expect(state.sources[2]!.thumbnailDataUrl).toMatch(/^data:image\/png/);
    expect(state.systemAudioAvailable).toBe(false);
    service.choose({ action: 'share', sourceId: 'window:14:0', systemAudio: true });
    expect(answers).toHaveLength(1);
    expect(answers[0]!.video.id).toBe('window:14:0');
    expect(answers[0]!.audio).toBeUndefined();
    expect(pickers[0]!.closed).toBe(true);
    expect(bars).toHaveLength(1);
    expect(service.isBarOpen).toBe(true);
  });

  it('adds system audio on Windows when the user ticks it', async () => {
    const { service, request } = setup('win32');
    const answers = await request('collaro-app://app', true);
    expect(service.pickerState().systemAudioAvailable).toBe(true);
    service.choose({ action: 'share', sourceId: 'screen:1:0', systemAudio: true });
    expect(answers[0]).toMatchObject({ audio: 'loopback' });
  });

  it('refuses a source the picker did not offer, and denies on cancel or when the picker is closed', async () => {
    const { service, pickers, bars, request } = setup();
    const first = await request();
    expect(() => service.choose({ action: 'share', sourceId: 'window:11:0', systemAudio: false })).toThrow('not one the picker offered');
    service.choose({ action: 'cancel' });
    expect(first).toEqual([null]);
    const second = await request();
    pickers[1]!.close();
    expect(second).toEqual([null]);
    expect(bars).toEqual([]);
  });

  it('refuses capture requests from any page but the app, and a second picker while one is open', async () => {
    const { pickers, request } = setup();
    expect(await request('https://evil.example.net')).toEqual([null]);
    expect(await request('collaro-app://picker')).toEqual([null]);
    await request();
    expect(await request()).toEqual([null]);
    expect(pickers).toHaveLength(1);
  });

  it('Stop on the bar closes it and tells the app; the app reporting the end of sharing closes it too', async () => {
    const { service, bars, stopped, request } = setup();
    await request();
    service.choose({ action: 'share', sourceId: 'screen:1:0', systemAudio: false });
    service.stopFromBar();
    expect(bars[0]!.closed).toBe(true);
    expect(stopped).toEqual(['sharing-bar']);
    service.onSharingChanged(true);
    expect(bars).toHaveLength(2);
    service.onSharingChanged(false);
    expect(bars[1]!.closed).toBe(true);
  });

  it('answers the first of two overlapping requests (both arriving before the sources are listed) and refuses the second', async () => {
    const { service, pickers, bars, issue } = setup();
    const first = issue();
    const second = issue();
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toEqual([null]);
    expect(pickers).toHaveLength(1);
    service.choose({ action: 'share', sourceId: 'screen:2:0', systemAudio: false });
    expect(first.map((answer) => answer?.video.id)).toEqual(['screen:2:0']);
    expect(bars).toHaveLength(1);
  });

  it('answers a request still listing sources when the service is disposed', async () => {
    const { service, pickers, issue } = setup();
    const pending = issue();
    service.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending).toEqual([null]);
    expect(pickers).toHaveLength(0);
  });

  it('removes its handler on dispose', () => {
    const { service, hasHandler } = setup();
    expect(hasHandler()).toBe(true);
    service.dispose();
    expect(hasHandler()).toBe(false);
  });
});
