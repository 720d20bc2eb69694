import { describe, expect, it } from 'vitest';
import { encodeMentions } from '../../src/renderer/src/features/chat/mentions.js';

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
