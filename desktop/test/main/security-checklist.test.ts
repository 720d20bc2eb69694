import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createFakeElectron, fakeEvent, type FakeElectron } from './fake-electron.js';

/**
 * Electron's security checklist (the twenty recommendations of its security guide), each asserted
 * against the real main process started on a recording Electron, or against the shipped sources
 * and packaging configuration where the rule is about them.
 */
const current = vi.hoisted(() => ({ electron: null as FakeElectron | null }));
vi.mock('electron', () => current.electron!.module);

const desktopDir = fileURLToPath(new URL('../../', import.meta.url));
const userData = mkdtempSync(path.join(tmpdir(), 'collaro-checklist-'));
const settle = () => new Promise((resolve) => setImmediate(resolve));

function sourcesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|html)$/.test(entry.name))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(desktopDir, file), text: readFileSync(file, 'utf8') };
    });
}

let electron: FakeElectron;
const shippedSources = [...sourcesUnder(path.join(desktopDir, 'src'))];

beforeAll(async () => {
  electron = createFakeElectron({ userData, singleInstanceLock: true });
  current.electron = electron;
  await import('../../src/main/index.js');
  await settle();
});
afterAll(() => {
  electron?.module.app.emit('will-quit');
  rmSync(userData, { recursive: true, force: true });
});

const allPreferences = () => electron.windows.map((window) => window.options.webPreferences ?? {});
const appWindow = () => electron.windows[0]!;

describe("Electron's security checklist", () => {
  it('has windows to check', () => {
    expect(electron.windows.length).toBeGreaterThan(0);
  });

  it('1. only loads secure content: every window loads from the privileged, secure collaro-app scheme', () => {
    for (const window of electron.windows) expect(window.url).toMatch(/^collaro-app:\/\//);
    expect(electron.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'collaro-app', privileges: expect.objectContaining({ secure: true }) })]);
  });

  it('2. does not enable Node.js integration anywhere', () => {
    for (const preferences of allPreferences()) {
      expect(preferences.nodeIntegration).toBe(false);
      expect(preferences.nodeIntegrationInWorker).toBe(false);
      expect(preferences.nodeIntegrationInSubFrames).toBe(false);
    }
  });

  it('3. enables context isolation in every window', () => {
    for (const preferences of allPreferences()) expect(preferences.contextIsolation).toBe(true);
  });

  it('4. enables the process sandbox in every window', () => {
    for (const preferences of allPreferences()) expect(preferences.sandbox).toBe(true);
  });

  it('5. handles permission requests: camera, microphone and screen only for its own origin', () => {
    const request = electron.sessionHandlers.permissionRequest!;
    const decide = (permission: string, requestingUrl: string) =>
      new Promise<boolean>((resolve) => request(appWindow().webContents, permission, resolve, { requestingUrl, mediaTypes: ['video', 'audio'] }));
    return Promise.all([
      expect(decide('media', 'collaro-app://app/meetings/x')).resolves.toBe(true),
      expect(decide('media', 'https://evil.example/')).resolves.toBe(false),
      expect(decide('geolocation', 'collaro-app://app/')).resolves.toBe(false),
      expect(decide('openExternal', 'collaro-app://app/')).resolves.toBe(false),
    ]);
  });

  it('6. does not disable webSecurity', () => {
    for (const preferences of allPreferences()) expect(preferences.webSecurity).not.toBe(false);
  });

  it('7. defines a Content Security Policy without unsafe-eval or inline scripts', async () => {
    const serve = electron.protocolHandlers.get('collaro-app')!;
    const response = await serve({ url: 'collaro-app://app/' });
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'self'(;| [^;]*;)/);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("object-src 'none'");
  });

  it('8. does not allow insecure content to run', () => {
    for (const preferences of allPreferences()) expect(preferences.allowRunningInsecureContent).toBe(false);
  });

  it('9. does not enable experimental features', () => {
    for (const preferences of allPreferences()) expect(preferences.experimentalFeatures).not.toBe(true);
  });

  it('10. does not use enableBlinkFeatures', () => {
    for (const preferences of allPreferences()) expect(preferences.enableBlinkFeatures).toBeUndefined();
    for (const { file, text } of shippedSources) expect(text, file).not.toContain('enableBlinkFeatures');
  });

  it('11. uses no <webview> with allowpopups (webviews are off altogether)', () => {
    for (const preferences of allPreferences()) expect(preferences.webviewTag).toBe(false);
    for (const { file, text } of shippedSources) expect(text, file).not.toMatch(/<webview|allowpopups/i);
  });

  it('12. verifies webview options: every attempt to attach a webview is refused', () => {
    const event = fakeEvent();
    appWindow().webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('13. limits navigation to its own origin', () => {
    const away = fakeEvent();
    appWindow().webContents.emit('will-navigate', away, 'https://evil.example/phish');
    expect(away.defaultPrevented).toBe(true);
    const redirect = fakeEvent();
    appWindow().webContents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.defaultPrevented).toBe(true);
  });

  it('14. limits new windows: none open in the app; only http(s) links go to the system browser', () => {
    const handler = appWindow().webContents.windowOpenHandler!;
    const before = electron.openedExternally.length;
    expect(handler({ url: 'https://docs.example.com/page' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'smb://attacker/share' })).toEqual({ action: 'deny' });
    expect(electron.openedExternally.slice(before)).toEqual(['https://docs.example.com/page']);
  });

  it('15. never hands untrusted content to shell.openExternal', () => {
    const callers = shippedSources.filter(({ text }) => text.includes('openExternal('));
    for (const { file, text } of callers) {
      // The call sites pass URLs that went through the http(s) allowlist first (or Collaro's own web page),
      // or, for the permissions page, one of the fixed system settings pages and nothing the renderer wrote.
      expect(file, 'openExternal is only called from the security service, the context menu, the permissions page or their wiring').toMatch(
        /src\/main\/(security|context-menu|menus|index|permissions|focus-features)\.ts$/,
      );
      if (file.endsWith('security.ts') || file.endsWith('context-menu.ts')) expect(text).toContain('isSafeExternalUrl');
      if (file.endsWith('permissions.ts')) expect(text).toMatch(/const url = PERMISSION_SETTINGS_PAGES\[/);
    }
  });

  it('16. uses a current Electron (45 or newer)', () => {
    const electronPackage = JSON.parse(readFileSync(path.join(desktopDir, '../node_modules/electron/package.json'), 'utf8'));
    expect(Number(electronPackage.version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('17. validates the sender of every IPC message', async () => {
    expect(electron.ipcHandlers.size).toBeGreaterThan(0);
    for (const [channel, handler] of electron.ipcHandlers) {
      if (!channel.startsWith('collaro:')) {
        // Clerk's own channels accept only a window's main frame; a subframe is refused.
        const window = { getType: () => 'window', mainFrame: { url: 'collaro-app://app/' } };
        const subframe = { url: 'https://evil.example/', parent: window.mainFrame };
        await expect(
          Promise.resolve().then(() => handler({ sender: window, senderFrame: subframe }, 'key')),
          channel,
        ).rejects.toThrow(/main frame/);
        continue;
      }
      const result = (await handler({ sender: { id: 9999 }, senderFrame: { url: 'https://evil.example/', parent: null } }, {})) as {
        ok: boolean;
        error?: { code: string };
      };
      expect(result.ok, channel).toBe(false);
      expect(result.error?.code, channel).toBe('forbidden-sender');
    }
  });

  it('18. avoids file://: nothing is loaded from it', () => {
    for (const window of electron.windows) expect(window.url).not.toMatch(/^file:/);
    for (const { file, text } of shippedSources.filter(({ file }) => file.startsWith('src/main'))) {
      expect(text, file).not.toMatch(/loadFile\(|['"`]file:\/\//);
    }
  });

  it('19. sets the Electron fuses at packaging', () => {
    const config = parseYaml(readFileSync(path.join(desktopDir, '../electron-builder.yml'), 'utf8'));
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('20. exposes no Electron API to web content: preloads expose named actions only', () => {
    const preloads = shippedSources.filter(({ file }) => /preload/.test(file) && /exposeInMainWorld/.test(readFileSync(path.join(desktopDir, file), 'utf8')));
    expect(preloads.length).toBeGreaterThan(0);
    for (const { file, text } of preloads) {
      for (const match of text.matchAll(/exposeInMainWorld\(\s*'[^']+',\s*([A-Za-z_$][\w$]*)\s*\)/g)) {
        expect(match[1], file).not.toMatch(/^(ipcRenderer|electron|require|process|shell|remote)$/);
      }
      expect(text, file).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
      expect(text, file).not.toMatch(/\bipcRenderer\.(send|invoke)\(\s*[a-z]+\s*[,)]/);
    }
  });
});
