import { IDLE_CALL_STATE, type TrayMeeting } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { DesktopStateStore } from '../../src/main/desktop-state.js';
import { buildTrayMenu, trayIconVariant, trayTooltip, type TrayAction, type TrayState } from '../../src/main/tray-menu.js';
import { TrayService } from '../../src/main/tray.js';

const now = new Date(2030, 0, 15, 9, 0, 0);
const at = (hours: number, minutes = 0, dayOffset = 0) => new Date(2030, 0, 15 + dayOffset, hours, minutes).toISOString();
const meeting = (id: number, title: string, start: string, end: string): TrayMeeting => ({
  id: `00000000-0000-4000-8000-00000000000${id}`,
  title,
  startsAt: start,
  endsAt: end,
});

const meetings = [
  meeting(1, 'Retro', at(15), at(16)),
  meeting(2, 'Standup', at(9, 30), at(9, 45)),
  meeting(3, 'Yesterday’s review', at(10, 0, -1), at(11, 0, -1)),
  meeting(4, 'Tomorrow’s planning', at(10, 0, 1), at(11, 0, 1)),
  meeting(5, 'Already over', at(8), at(8, 30)),
  meeting(6, 'Design sync (running)', at(8, 45), at(9, 15)),
];

const base: TrayState = {
  meetings,
  availability: 'available',
  call: IDLE_CALL_STATE,
  unread: 0,
  update: { state: 'none' },
  startAtLogin: false,
  windowVisible: true,
};
const inCall = { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false };
const itemNamed = (state: TrayState, label: string) => buildTrayMenu(state, now).find((entry) => entry.kind !== 'separator' && entry.label === label);
const labels = (state: TrayState) => buildTrayMenu(state, now).map((entry) => (entry.kind === 'separator' ? '—' : entry.label));

describe('tray menu', () => {
  it('lists today’s meetings that have not ended, soonest first, each a one-click Join', () => {
    const entries = buildTrayMenu(base, now);
    const joins = entries.filter((entry) => entry.kind === 'item' && entry.action.type === 'join-meeting');
    expect(joins.map((entry) => (entry.kind === 'item' ? entry.action : null))).toEqual([
      { type: 'join-meeting', meetingId: meetings[5]!.id },
      { type: 'join-meeting', meetingId: meetings[1]!.id },
      { type: 'join-meeting', meetingId: meetings[0]!.id },
    ]);
    expect(joins[0]!.kind === 'item' && joins[0]!.label).toBe('Join “Design sync (running)” · now');
    expect(joins[1]!.kind === 'item' && joins[1]!.label).toMatch(/^Join “Standup” · 0?9:30/);
  });

  it('says so when nothing is left today, and still offers an instant meeting', () => {
    const menu = labels({ ...base, meetings: [meetings[2]!, meetings[3]!, meetings[4]!] });
    expect(menu[0]).toBe('No more meetings today');
    expect(menu).toContain('Start instant meeting');
    expect(menu.some((label) => label.startsWith('Join “'))).toBe(false);
    // The server may still know a meeting this list lacks (another organization's): always offered outside a call.
    expect(menu).toContain('Join next meeting');
    expect(
      labels({ ...base, call: { inCall: true, muted: false, sharing: false, meetingId: meetings[1]!.id, cameraOff: false, talking: false } }),
    ).not.toContain('Join next meeting');
  });

  it('offers Mute, camera, Leave and (with the window hidden) Show only during a call, saying whether the microphone is live', () => {
    expect(labels(base)).not.toContain('Leave meeting');
    const inCall = labels({ ...base, call: { inCall: true, muted: false, sharing: false, meetingId: meetings[1]!.id, cameraOff: false, talking: false } });
    expect(inCall.slice(0, 5)).toEqual(['In a meeting', 'Microphone live', 'Mute', 'Turn camera off', 'Leave meeting']);
    const muted = labels({ ...base, call: { inCall: true, muted: true, sharing: true, meetingId: meetings[1]!.id, cameraOff: true, talking: false } });
    expect(muted.slice(0, 5)).toEqual(['In a meeting · sharing your screen', 'Microphone muted', 'Unmute', 'Turn camera on', 'Leave meeting']);
    const talking = labels({
      ...base,
      windowVisible: false,
      call: { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: true },
    });
    expect(talking.slice(0, 6)).toEqual(['In a meeting', 'Talking (push to talk)', 'Mute', 'Turn camera off', 'Leave meeting', 'Show call']);
    expect(
      itemNamed({ ...base, call: { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false } }, 'Turn camera off'),
    ).toMatchObject({ action: { type: 'toggle-camera' } });
  });

  it('shows the status as a radio choice, Show/Hide by window visibility, and Quit', () => {
    const entries = buildTrayMenu({ ...base, availability: 'do-not-disturb', windowVisible: false }, now);
    const radios = entries.filter((entry) => entry.kind === 'radio');
    expect(radios.map((entry) => entry.kind === 'radio' && [entry.label, entry.checked])).toEqual([
      ['Available', false],
      ['Do not disturb', true],
    ]);
    expect(labels({ ...base, windowVisible: false }).slice(-2)).toEqual(['Show Collaro', 'Quit Collaro']);
    expect(labels(base).slice(-2)).toEqual(['Hide Collaro', 'Quit Collaro']);
  });

  it('offers "Restart to update" once an update is ready; during a call the restart waits for the call to end', () => {
    expect(labels(base).some((label) => label.startsWith('Restart'))).toBe(false);
    const ready = { ...base, update: { state: 'ready', version: '0.2.0', restartAfterCall: false } } as const;
    expect(itemNamed(ready, 'Restart to update (Collaro 0.2.0)')).toMatchObject({ kind: 'item', action: { type: 'restart-to-update' } });
    expect(itemNamed({ ...ready, call: inCall }, 'Restart to update after this meeting')).toMatchObject({
      kind: 'item',
      action: { type: 'restart-to-update' },
    });
    expect(
      itemNamed({ ...ready, call: inCall, update: { ...ready.update, restartAfterCall: true } }, 'Collaro restarts to update after this meeting'),
    ).toMatchObject({
      kind: 'heading',
    });
    expect(trayTooltip(ready)).toBe('Collaro — update ready');
  });

  it('carries "Start Collaro at login" as a checkbox that flips the setting', () => {
    expect(itemNamed(base, 'Start Collaro at login')).toMatchObject({
      kind: 'checkbox',
      checked: false,
      action: { type: 'set-start-at-login', enabled: true },
    });
    expect(itemNamed({ ...base, startAtLogin: true }, 'Start Collaro at login')).toMatchObject({ checked: true, action: { enabled: false } });
  });

  it('picks the icon and tooltip from the call and unread state', () => {
    const inCall = { inCall: true, muted: true, sharing: false, meetingId: null, cameraOff: false, talking: false };
    expect(trayIconVariant({ call: IDLE_CALL_STATE, unread: 0 })).toBe('idle');
    expect(trayIconVariant({ call: IDLE_CALL_STATE, unread: 3 })).toBe('unread');
    expect(trayIconVariant({ call: inCall, unread: 3 })).toBe('in-call');
    expect(trayTooltip({ call: inCall, unread: 3, availability: 'do-not-disturb' })).toBe(
      'Collaro — in a meeting (microphone muted) — 3 unread — do not disturb',
    );
    // The microphone is live: unmuted, or muted with the push-to-talk key held.
    expect(trayIconVariant({ call: { ...inCall, muted: false }, unread: 0 })).toBe('mic-live');
    expect(trayIconVariant({ call: { ...inCall, talking: true }, unread: 0 })).toBe('mic-live');
    expect(trayTooltip({ call: { ...inCall, muted: false }, unread: 0, availability: 'available' })).toBe('Collaro — in a meeting (microphone live)');
  });
});

describe('tray service', () => {
  it('rebuilds the menu and icon when the meeting list, unread count or call change, and clicks reach the app', () => {
    const state = new DesktopStateStore();
    const images: string[] = [];
    const menus: { label?: string; click?: () => void }[][] = [];
    const actions: TrayAction[] = [];
    const service = new TrayService<string, { label?: string; click?: () => void }[]>({
      state,
      createTray: () => ({
        setImage: (image) => images.push(image),
        setToolTip: () => undefined,
        setContextMenu: (menu) => {
          if (menu) menus.push(menu);
        },
        on: () => undefined,
        destroy: () => undefined,
      }),
      buildMenu: (template) =>
        template.map((item) => ({ ...(item.label ? { label: item.label } : {}), ...(item.click ? { click: item.click as () => void } : {}) })),
      images: { idle: 'idle.png', unread: 'unread.png', 'in-call': 'in-call.png', 'mic-live': 'mic-live.png' },
      isWindowVisible: () => true,
      startAtLogin: { get: () => false, onChange: () => () => undefined },
      onAction: (action) => actions.push(action),
      now: () => now,
    });
    service.start();
    expect(images.at(-1)).toBe('idle.png');
    state.update({ meetings });
    const join = menus.at(-1)!.find((item) => item.label?.startsWith('Join “Standup”'));
    join!.click!();
    expect(actions).toEqual([{ type: 'join-meeting', meetingId: meetings[1]!.id }]);
    state.update({ unread: 2 });
    expect(images.at(-1)).toBe('unread.png');
    state.update({ call: { inCall: true, muted: false, sharing: false, meetingId: null, cameraOff: false, talking: false } });
    expect(images.at(-1)).toBe('mic-live.png');
    state.update({ call: { inCall: true, muted: true, sharing: false, meetingId: null, cameraOff: false, talking: false } });
    expect(images.at(-1)).toBe('in-call.png');
    expect(menus.at(-1)!.map((item) => item.label)).toContain('Leave meeting');
    service.dispose();
  });
});
