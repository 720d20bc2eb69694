import { useMemo, useState } from 'react';

export interface PersonSeen {
  id: string;
  name: string;
}

/**
 * Everyone seen in the room during this call, those there now first: the in-call chat keeps naming
 * people who have left or are reconnecting, guests above all, whom no member list knows.
 */
export function usePeopleSeen(participants: readonly PersonSeen[]): PersonSeen[] {
  const [seen, setSeen] = useState<ReadonlyMap<string, string>>(() => new Map());
  // Derived while rendering (React's pattern for state that follows a prop): no render shows a name lost.
  if (participants.some((person) => seen.get(person.id) !== person.name)) {
    setSeen(new Map([...seen, ...participants.map((person) => [person.id, person.name] as const)]));
  }
  return useMemo(() => {
    const here = new Set(participants.map((person) => person.id));
    return [...participants, ...[...seen].filter(([id]) => !here.has(id)).map(([id, name]) => ({ id, name }))];
  }, [participants, seen]);
}
