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
