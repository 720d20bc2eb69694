import { mentionOf } from '@collaro/shared';

/**
 * Turns `@Full Name` typed in the composer into the `<@userId>` mentions the server notifies on.
 * Longer names first, so "@Ada Lovelace" wins over "@Ada"; code spans and blocks are left alone.
 */
export function encodeMentions(body: string, people: { userId: string; name: string }[]): string {
  const byLength = [...people].filter((p) => p.name.trim() !== '').sort((a, b) => b.name.length - a.name.length);
  if (byLength.length === 0) return body;
  return body
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      let text = part;
      for (const person of byLength) {
        const escaped = person.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        text = text.replace(new RegExp(`(^|[^\\w<])@${escaped}(?![\\w])`, 'gi'), (_, before: string) => `${before}${mentionOf(person.userId)}`);
      }
      return text;
    })
    .join('');
}

export interface Mentionable {
  userId: string;
  name: string;
}

/**
 * The `@query` being typed just before the caret, if any: `@` at the start or after a space,
 * followed by at most two words (so "@Ada Lo" still finds "Ada Lovelace").
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]*(?: [^\s@]*)?)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** People whose name, or one of its words, starts with the query; at most `limit`. */
export function matchPeople(people: Mentionable[], query: string, limit = 8): Mentionable[] {
  const wanted = query.toLocaleLowerCase();
  return people
    .filter((person) => {
      const name = person.name.toLocaleLowerCase();
      return name.startsWith(wanted) || name.split(/\s+/).some((word) => word.startsWith(wanted));
    })
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}
