/** Who else is typing in the open conversation, as a line under its history. */
export function TypingIndicator({ names }: { names: string[] }) {
  const text =
    names.length === 0
      ? ''
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : 'Several people are typing…';
  return (
    <div className="typing-indicator" aria-live="polite" data-testid="typing-indicator">
      {text}
    </div>
  );
}
