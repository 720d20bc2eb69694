import { describe, expect, it } from 'vitest';
import { GAP_SETTLE_MS, ResumeCursors } from '../src/realtime-client/resume-cursors.js';

const CHANNEL = '1c9d8e7f-6a5b-4e2f-8b1a-3f2b8c1e9a4d';

describe('resume cursors', () => {
  const make = () => {
    let now = 1_000;
    const cursors = new ResumeCursors(() => now);
    return { cursors, advance: (ms: number) => (now += ms) };
  };

  it('stays below an event that has not arrived yet, and moves up once it does', () => {
    const { cursors } = make();
    cursors.set(CHANNEL, 10);
    cursors.seen(CHANNEL, 12);
    cursors.seen(CHANNEL, 13);
    expect(cursors.get(CHANNEL)).toBe(10);
    cursors.seen(CHANNEL, 11);
    expect(cursors.get(CHANNEL)).toBe(13);
    cursors.seen(CHANNEL, 12);
    expect(cursors.get(CHANNEL)).toBe(13);
  });

  it('moves past a gap that a resume sent after it appeared did not fill (a superseded event)', () => {
    const { cursors } = make();
    cursors.set(CHANNEL, 10);
    cursors.seen(CHANNEL, 12);
    cursors.resumeSent([CHANNEL]);
    // The replay brings 12 again (11 was an edit that 12 superseded), then the server says it is done.
    cursors.seen(CHANNEL, 12);
    cursors.seen(CHANNEL, 14);
    cursors.resumed(CHANNEL);
    // 13 arrived on the live socket after the resume went out: it may still come.
    expect(cursors.get(CHANNEL)).toBe(12);
    cursors.seen(CHANNEL, 13);
    expect(cursors.get(CHANNEL)).toBe(14);
  });

  it('moves past a gap left open for GAP_SETTLE_MS while events keep arriving', () => {
    const { cursors, advance } = make();
    cursors.set(CHANNEL, 10);
    cursors.seen(CHANNEL, 12);
    advance(GAP_SETTLE_MS - 1);
    cursors.seen(CHANNEL, 13);
    expect(cursors.get(CHANNEL)).toBe(10);
    advance(1);
    cursors.seen(CHANNEL, 14);
    expect(cursors.get(CHANNEL)).toBe(14);
  });

  it('starts a channel it had no cursor for at the first event, and a refetch resets it', () => {
    const { cursors } = make();
    cursors.seen(CHANNEL, 40);
    expect(cursors.get(CHANNEL)).toBe(40);
    cursors.seen(CHANNEL, 42);
    cursors.set(CHANNEL, 45);
    expect(cursors.entries()).toEqual([[CHANNEL, 45]]);
  });
});
