import { Avatar } from '../../ui/avatar.js';
import type { Mentionable } from './mentions.js';

export const mentionOptionId = (listId: string, index: number) => `${listId}-${index}`;

/** The people offered while an `@name` is being typed; the composer keeps the focus and the keys. */
export function MentionList({ id, people, active, onPick }: { id: string; people: Mentionable[]; active: number; onPick: (person: Mentionable) => void }) {
  return (
    <ul className="mention-list menu" role="listbox" id={id} aria-label="People to mention">
      {people.map((person, index) => (
        <li
          key={person.userId}
          id={mentionOptionId(id, index)}
          role="option"
          aria-selected={index === active}
          className="menu-item mention-option"
          data-highlighted={index === active ? '' : undefined}
          // Keep the focus in the message box while clicking.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(person)}
        >
          <Avatar name={person.name} size={22} />
          <span>{person.name}</span>
        </li>
      ))}
    </ul>
  );
}
