import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@collaro/shared';
import { dayLabel, isGrouped } from '../../src/renderer/src/features/chat/message-item.js';
import { encodeMentions, matchPeople, mentionQueryAt } from '../../src/renderer/src/features/chat/mentions.js';

const ADA = { userId: '5e8b0c9a-0000-4000-8000-0000000000a1', name: 'Ada' };
const ADA_L = { userId: '5e8b0c9a-0000-4000-8000-0000000000a2', name: 'Ada Lovelace' };

describe('typed @mentions', () => {
  it('become <@userId> mentions, the longest matching name winning', () => {
    expect(encodeMentions('hi @Ada Lovelace and @ada!', [ADA, ADA_L])).toBe(`hi <@${ADA_L.userId}> and <@${ADA.userId}>!`);
  });

  it('leave emails, partial words and code alone', () => {
    expect(encodeMentions('mail ada@Ada.example or @Adam', [ADA])).toBe('mail ada@Ada.example or @Adam');
    expect(encodeMentions('run `@Ada` then\n```\n@Ada\n```\n@Ada', [ADA])).toBe(`run \`@Ada\` then\n\`\`\`\n@Ada\n\`\`\`\n<@${ADA.userId}>`);
  });
});

describe('the @ list while typing', () => {
  it('opens on an @ at the start or after a space, up to two words, and not inside an email', () => {
    expect(mentionQueryAt('hi @Ad', 6)).toEqual({ start: 3, query: 'Ad' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @Ada Lo', 10)).toEqual({ start: 3, query: 'Ada Lo' });
    expect(mentionQueryAt('hi @Ada Lovelace ', 17)).toBeNull();
    expect(mentionQueryAt('mail ada@exa', 12)).toBeNull();
  });

  it('offers people whose name or any word of it starts with what was typed', () => {
    const BOB = { userId: '5e8b0c9a-0000-4000-8000-0000000000b1', name: 'Bob Builder' };
    expect(matchPeople([ADA, ADA_L, BOB], 'bui')).toEqual([BOB]);
    expect(matchPeople([ADA, ADA_L, BOB], 'ada l')).toEqual([ADA_L]);
    expect(matchPeople([ADA, ADA_L, BOB], '')).toEqual([ADA, ADA_L, BOB]);
  });
});

describe('day separators', () => {
  const now = new Date(2026, 11, 1, 9, 30);
  it("say Today, Yesterday, or the full date in the reader's time zone", () => {
    expect(dayLabel(new Date(2026, 11, 1, 0, 5), now)).toBe('Today');
    expect(dayLabel(new Date(2026, 10, 30, 23, 59), now)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 10, 29, 12, 0), now)).toContain('2026');
  });

  it('separate messages of different days, and never group across them', () => {
    const at = (date: Date) => ({ authorId: ADA.userId, replyToId: null, createdAt: date.toISOString() }) as ChatMessage;
    expect(isGrouped(at(new Date(2026, 10, 30, 23, 58)), at(new Date(2026, 11, 1, 0, 1)))).toBe(false);
    expect(isGrouped(at(new Date(2026, 11, 1, 0, 1)), at(new Date(2026, 11, 1, 0, 2)))).toBe(true);
  });
});
