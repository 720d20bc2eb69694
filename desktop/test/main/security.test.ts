import { describe, expect, it, vi } from 'vitest';
import { createAppOrigins } from '../../src/main/app-origins.js';
import { buildContentSecurityPolicy } from '../../src/main/content-security-policy.js';
import {
  decideLocalNetworkAccess,
  decidePermission,
  decideWindowOpen,
  guardContents,
  isNavigationAllowed,
  isSafeExternalUrl,
  type GuardedContents,
} from '../../src/main/security.js';
import type { BrowserWindowConstructorOptions } from 'electron';
import { appWindowOptions, createSecureWindow, pickerWindowOptions, sharingBarWindowOptions } from '../../src/main/windows.js';

const packaged = createAppOrigins(null);
const development = createAppOrigins('http://localhost:5173/');

describe('permission decisions', () => {
  it('grants camera, microphone, screen capture and notifications to the app itself', () => {
    expect(decidePermission('media', 'collaro-app://app/meetings/1', packaged.app, { mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(decidePermission('display-capture', 'collaro-app://app/', packaged.app)).toBe(true);
    expect(decidePermission('notifications', 'collaro-app://app', packaged.app)).toBe(true);
    expect(decidePermission('media', 'http://localhost:5173/', development.app, { mediaTypes: ['audio'] })).toBe(true);
  });

  it('refuses the same permissions to any other origin, including the picker and look-alikes', () => {
    for (const url of [
      'https://evil.example.net/',
      'collaro-app://picker/picker.html',
      'collaro-app://app.evil/',
      'file:///etc/passwd',
      'http://localhost:5174/',
    ]) {
      expect(decidePermission('media', url, packaged.app, { mediaTypes: ['video'] })).toBe(false);
      expect(decidePermission('display-capture', url, packaged.app)).toBe(false);
    }
    expect(decidePermission('media', 'collaro-app://app/', development.app, { mediaTypes: ['video'] })).toBe(false);
  });

  it('refuses permissions meetings and chat do not need, even to the app', () => {
    for (const permission of ['geolocation', 'midi', 'openExternal', 'clipboard-read', 'hid', 'serial', 'usb', 'unknown']) {
      expect(decidePermission(permission, 'collaro-app://app/', packaged.app)).toBe(false);
    }
  });
});

describe('Local Network Access', () => {
  const app = 'collaro-app://app/chat';
  it('lets the app reach a server on this machine, and nothing on the local network then', () => {
    for (const server of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) {
      expect(decideLocalNetworkAccess('loopback-network', app, packaged.app, server)).toBe(true);
      expect(decideLocalNetworkAccess('local-network-access', app, packaged.app, server)).toBe(true);
      expect(decideLocalNetworkAccess('local-network', app, packaged.app, server)).toBe(false);
    }
  });

  it('lets the app reach a server on the local network, by address or by a name that may resolve there, and not this machine', () => {
    for (const server of ['https://10.0.4.2', 'https://192.168.1.20:8443', 'https://collaro.office.local', 'https://collaro.corp.example']) {
      expect(decideLocalNetworkAccess('local-network', app, packaged.app, server)).toBe(true);
      expect(decideLocalNetworkAccess('loopback-network', app, packaged.app, server)).toBe(false);
    }
  });

  it('grants nothing for a server at a public address, and nothing to another origin', () => {
    for (const permission of ['local-network', 'loopback-network', 'local-network-access']) {
      expect(decideLocalNetworkAccess(permission, app, packaged.app, 'https://203.0.113.9')).toBe(false);
      expect(decideLocalNetworkAccess(permission, 'collaro-app://picker/picker.html', packaged.app, 'http://127.0.0.1:4000')).toBe(false);
      expect(decideLocalNetworkAccess(permission, 'https://evil.example.net/', packaged.app, 'http://127.0.0.1:4000')).toBe(false);
    }
  });
});

describe('navigation and new windows', () => {
  const allowed = [packaged.app, packaged.picker];

  it('lets the window reload the app and refuses every other destination', () => {
    expect(isNavigationAllowed('collaro-app://app/channels/1', allowed)).toBe(true);
    for (const url of ['https://collaro.example.com/', 'file:///C:/Windows/', 'javascript:alert(1)', 'collaro-app://other/', 'not a url']) {
      expect(isNavigationAllowed(url, allowed)).toBe(false);
    }
  });

  it('opens validated web links in the system browser and never a new Electron window', () => {
    expect(decideWindowOpen('https://docs.example.com/page?x=1')).toEqual({ action: 'deny', openExternally: 'https://docs.example.com/page?x=1' });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'https://user:pass@example.com/',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: null });
    }
    expect(isSafeExternalUrl('ms-msdt:/id PCWDiagnostic')).toBe(false);
  });

  it('wires the guards onto every WebContents: foreign navigation is cancelled and sent to the browser', async () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
    const contents: GuardedContents = {
      on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) => listeners.set(event, listener),
      setWindowOpenHandler: (handler) => {
        openHandler = handler;
      },
    };
    const openExternal = vi.fn(async () => undefined);
    guardContents(contents, { origins: packaged, openExternal, log: () => undefined });

    const prevent = vi.fn();
    listeners.get('will-navigate')!({ preventDefault: prevent }, 'https://phish.example.net/login');
    expect(prevent).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://phish.example.net/login');

    const allowedPrevent = vi.fn();
    listeners.get('will-navigate')!({ preventDefault: allowedPrevent }, 'collaro-app://app/');
    expect(allowedPrevent).not.toHaveBeenCalled();

    const webviewPrevent = vi.fn();
    listeners.get('will-attach-webview')!({ preventDefault: webviewPrevent }, '');
    expect(webviewPrevent).toHaveBeenCalled();

    expect(openHandler!({ url: 'file:///etc/shadow' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('window hardening', () => {
  it('isolates and sandboxes every window with no Node.js in the page', () => {
    class RecordingWindow {
      constructor(readonly options: BrowserWindowConstructorOptions) {}
    }
    const windows = [
      createSecureWindow(RecordingWindow, appWindowOptions({ x: 0, y: 0, width: 1200, height: 800 }), '/app/index.cjs'),
      createSecureWindow(RecordingWindow, pickerWindowOptions(), '/app/picker.cjs'),
      createSecureWindow(RecordingWindow, sharingBarWindowOptions({ x: 0, y: 0, width: 1920 }), '/app/sharing-bar.cjs'),
    ];
    for (const window of windows) {
      expect(window.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
    }
    expect(windows[2]!.options).toMatchObject({ alwaysOnTop: true, frame: false, x: 790 });
  });

  it('allows scripts only from the app and connections only to the configured backend', () => {
    const policy = buildContentSecurityPolicy({ backendUrl: 'https://collaro.example.com', devServerUrl: null });
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self' https://collaro.example.com wss://collaro.example.com");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('localhost');
  });
});
