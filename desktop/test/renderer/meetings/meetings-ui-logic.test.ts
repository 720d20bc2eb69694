import type { Meeting } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { trayMeetingsOf } from '../../../src/renderer/src/features/meetings/meetings-desktop-sync.js';
import { fileNameFor, nextHalfHour } from '../../../src/renderer/src/features/meetings/meeting-time.js';
import type { CallParticipant } from '../../../src/renderer/src/features/meetings/room/call-session.js';
import { featuredTile, tilesOf } from '../../../src/renderer/src/features/meetings/room/room-layout.js';

// Node has no MediaStream; the layout only checks whether a stream is there.
const stream = (id: string) => ({ id }) as unknown as MediaStream;

function person(id: string, overrides: Partial<CallParticipant> = {}): CallParticipant {
  return {
    id,
    name: id,
    isLocal: false,
    isHost: false,
    audioMuted: false,
    videoOff: false,
    camera: stream(`${id}-cam`),
    screen: null,
    audio: null,
    link: 'connected',
    ...overrides,
  };
}

describe('meeting room layout', () => {
  it('features someone else rather than oneself, and oneself when alone', () => {
    const me = person('me', { isLocal: true });
    expect(featuredTile(tilesOf([me, person('ada')]), null)?.key).toBe('ada:camera');
    expect(featuredTile(tilesOf([me]), null)?.key).toBe('me:camera');
  });

  it('features whoever is speaking, below a pin and a shared screen', () => {
    const people = [person('me', { isLocal: true }), person('ada'), person('bob')];
    expect(featuredTile(tilesOf(people), null, 'bob')?.key).toBe('bob:camera');
    expect(featuredTile(tilesOf(people), 'ada:camera', 'bob')?.key).toBe('ada:camera');
    const sharing = [...people, person('cy', { screen: stream('cy-screen') })];
    expect(featuredTile(tilesOf(sharing), null, 'bob')?.key).toBe('cy:screen');
  });

  it('puts a shared screen on the stage and first in the grid, unless the user pinned someone', () => {
    const tiles = tilesOf([person('me', { isLocal: true }), person('ada'), person('bob', { screen: stream('bob-screen'), camera: null })]);
    expect(tiles.map((tile) => tile.key)).toEqual(['bob:screen', 'me:camera', 'ada:camera', 'bob:camera']);
    expect(featuredTile(tiles, null)?.key).toBe('bob:screen');
    expect(featuredTile(tiles, 'ada:camera')?.key).toBe('ada:camera');
    // A pin on someone who left falls back to the screen.
    expect(featuredTile(tiles, 'gone:camera')?.key).toBe('bob:screen');
  });
});

function meeting(id: string, startsAt: string, status: Meeting['status'], title = `Meeting ${id}`): Meeting {
  return {
    id,
    orgId: 'org',
    teamId: null,
    kind: 'scheduled',
    title,
    description: '',
    startsAt,
    endsAt: startsAt,
    durationMinutes: 30,
    hostId: 'host',
    status,
    provider: 'local',
    inviteeIds: [],
    inviteesOnly: false,
    sequence: 0,
    joinUrl: `https://collaro.example.com/m/${id}`,
    deepLink: `collaro://meeting/${id}`,
  };
}

describe('tray meeting list', () => {
  it('lists live meetings first, then upcoming by start, once each, without cancelled ones', () => {
    const live = [meeting('live', '2030-01-01T08:00:00.000Z', 'live')];
    const upcoming = [
      meeting('later', '2030-01-01T11:00:00.000Z', 'scheduled'),
      meeting('cancelled', '2030-01-01T09:00:00.000Z', 'cancelled'),
      meeting('sooner', '2030-01-01T10:00:00.000Z', 'scheduled'),
      meeting('live', '2030-01-01T08:00:00.000Z', 'live'),
    ];
    expect(trayMeetingsOf(live, upcoming).map((entry) => entry.id)).toEqual(['live', 'sooner', 'later']);
  });

  it('gives the tray a title it accepts even when the meeting has a blank or very long one', () => {
    const [blank, long] = trayMeetingsOf(
      [],
      [meeting('a', '2030-01-01T10:00:00.000Z', 'scheduled', '   '), meeting('b', '2030-01-01T11:00:00.000Z', 'scheduled', 'x'.repeat(500))],
    );
    expect(blank?.title).toBe('Meeting');
    expect(long?.title).toHaveLength(200);
  });
});

describe('meeting helpers', () => {
  it('offers the next half hour as the default start', () => {
    expect(nextHalfHour(new Date(2030, 0, 1, 9, 10, 42)).getMinutes()).toBe(30);
    const afterHalf = nextHalfHour(new Date(2030, 0, 1, 9, 45));
    expect([afterHalf.getHours(), afterHalf.getMinutes()]).toEqual([10, 0]);
  });

  it('names the downloaded invite after the meeting, safely', () => {
    expect(fileNameFor('Sprint planning: Q1/Q2')).toBe('Sprint-planning-Q1-Q2');
    expect(fileNameFor('///')).toBe('meeting');
  });
});
