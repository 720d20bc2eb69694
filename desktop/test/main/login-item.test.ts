import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HIDDEN_ARGUMENT, LoginItemService, quoteExecArgument, xdgAutostartFiles } from '../../src/main/login-item.js';
import { SettingsStore } from '../../src/main/settings-store.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function setup(platform: NodeJS.Platform, options: { argv?: string[]; wasOpenedAtLogin?: boolean; executable?: string } = {}) {
  const directory = mkdtempSync(path.join(tmpdir(), 'collaro-login-'));
  directories.push(directory);
  const settings = new SettingsStore(path.join(directory, 'user-data'));
  const applied: Record<string, unknown>[] = [];
  const app = {
    setLoginItemSettings: (value: Record<string, unknown>) => applied.push(value),
    getLoginItemSettings: () => ({ openAtLogin: true, wasOpenedAtLogin: options.wasOpenedAtLogin ?? false }),
  };
  const autostart = xdgAutostartFiles({ XDG_CONFIG_HOME: path.join(directory, 'config') });
  const service = new LoginItemService({
    app,
    settings,
    platform,
    argv: options.argv ?? ['/opt/Collaro/collaro'],
    executable: options.executable ?? '/opt/Collaro/collaro',
    autostart,
  });
  service.start();
  return { service, settings, applied, autostartFile: path.join(directory, 'config', 'autostart', 'collaro.desktop') };
}

describe('start at login', () => {
  it('on Windows registers a login item that starts Collaro with --hidden', () => {
    const { settings, applied, service } = setup('win32');
    settings.update({ startAtLogin: true });
    settings.update({ startAtLogin: false });
    expect(applied).toEqual([
      { openAtLogin: false, args: [HIDDEN_ARGUMENT] },
      { openAtLogin: true, args: [HIDDEN_ARGUMENT] },
      { openAtLogin: false, args: [HIDDEN_ARGUMENT] },
    ]);
    // Electron 45 dropped openAsHidden: nothing may rely on it.
    expect(applied.some((settingsApplied) => 'openAsHidden' in settingsApplied)).toBe(false);
    service.dispose();
  });

  it('on macOS registers a plain login item and knows a login start from wasOpenedAtLogin', () => {
    const { settings, applied } = setup('darwin', { wasOpenedAtLogin: true });
    settings.update({ startAtLogin: true });
    expect(applied.at(-1)).toEqual({ openAtLogin: true });
    expect(setup('darwin', { wasOpenedAtLogin: true }).service.openedAtLogin).toBe(true);
    expect(
      setup('darwin', { wasOpenedAtLogin: false, argv: ['/Applications/Collaro.app/Contents/MacOS/Collaro', HIDDEN_ARGUMENT] }).service.openedAtLogin,
    ).toBe(false);
  });

  it('knows a login start on Windows and Linux from --hidden on the command line', () => {
    expect(setup('win32', { argv: ['C:\\Collaro\\Collaro.exe', HIDDEN_ARGUMENT] }).service.openedAtLogin).toBe(true);
    expect(setup('linux', { argv: ['/opt/Collaro/collaro', '--no-sandbox', HIDDEN_ARGUMENT] }).service.openedAtLogin).toBe(true);
    expect(setup('linux', { argv: ['/opt/Collaro/collaro', 'collaro://meeting/x'] }).service.openedAtLogin).toBe(false);
  });

  it('on Linux writes an XDG Autostart entry that starts the AppImage hidden, and removes it when turned off', () => {
    const { settings, applied, autostartFile } = setup('linux', { executable: '/home/ada/Apps/Collaro 0.2.AppImage' });
    expect(existsSync(autostartFile)).toBe(false);
    settings.update({ startAtLogin: true });
    const entry = readFileSync(autostartFile, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Collaro\n');
    expect(entry).toContain('Exec="/home/ada/Apps/Collaro 0.2.AppImage" --hidden\n');
    settings.update({ startAtLogin: false });
    expect(existsSync(autostartFile)).toBe(false);
    expect(applied).toEqual([]);
  });

  it('quotes Exec arguments as the Desktop Entry specification asks', () => {
    expect(quoteExecArgument('/opt/Collaro/collaro')).toBe('/opt/Collaro/collaro');
    expect(quoteExecArgument('/home/a b/$HOME`x`"q"\\')).toBe('"/home/a b/\\$HOME\\`x\\`\\"q\\"\\\\"');
  });
});
