import { MESSAGE_BODY_MAX_LENGTH, type ChatMessage } from '@collaro/shared';
import { X } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MentionList, mentionOptionId } from './mention-list.js';
import { matchPeople, mentionQueryAt, type Mentionable } from './mentions.js';

const TYPING_SEND_INTERVAL_MS = 3_000;

export function Composer(props: {
  channelTitle: string;
  replyTo: ChatMessage | null;
  replyToName: string;
  onCancelReply: () => void;
  /** The channel's people, offered after `@`. */
  people: Mentionable[];
  /** `mentioned`: the people picked from the list, whose ids the `@Name`s in the body stand for. */
  onSend: (body: string, mentioned: Mentionable[]) => void;
  onTyping: () => void;
  onEditLast: () => void;
}) {
  const [body, setBody] = useState('');
  const lastTypingSent = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const picked = useRef<Mentionable[]>([]);
  const caretAfterInsert = useRef<number | null>(null);
  const candidates = mention ? matchPeople(props.people, mention.query) : [];
  const listOpen = candidates.length > 0;

  useEffect(() => {
    if (props.replyTo) input.current?.focus();
  }, [props.replyTo]);

  useLayoutEffect(() => {
    if (caretAfterInsert.current === null || !input.current) return;
    input.current.setSelectionRange(caretAfterInsert.current, caretAfterInsert.current);
    caretAfterInsert.current = null;
  }, [body]);

  const findMention = (text: string, caret: number | null) => {
    setMention(caret === null ? null : mentionQueryAt(text, caret));
    setActive(0);
  };

  const pick = (person: Mentionable) => {
    if (!mention) return;
    const caret = input.current?.selectionStart ?? body.length;
    const inserted = `@${person.name} `;
    picked.current = [...picked.current.filter((p) => p.userId !== person.userId), person];
    caretAfterInsert.current = mention.start + inserted.length;
    setBody(body.slice(0, mention.start) + inserted + body.slice(caret));
    setMention(null);
  };

  const send = () => {
    if (!body.trim()) return;
    props.onSend(body, picked.current);
    picked.current = [];
    setBody('');
    setMention(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      setActive((index) => (index + (event.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
    } else if (listOpen && (event.key === 'Enter' || event.key === 'Tab') && !event.nativeEvent.isComposing) {
      event.preventDefault();
      pick(candidates[Math.min(active, candidates.length - 1)]!);
    } else if (listOpen && event.key === 'Escape') {
      event.preventDefault();
      setMention(null);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && body === '') {
      event.preventDefault();
      props.onEditLast();
    } else if (event.key === 'Escape' && props.replyTo) {
      props.onCancelReply();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {props.replyTo ? (
        <div className="replying-to">
          <span>
            Replying to <strong>{props.replyToName}</strong>: {props.replyTo.body.slice(0, 80)}
          </span>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={props.onCancelReply}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : null}
      <div className="composer-row">
        {listOpen ? <MentionList id={listId} people={candidates} active={active} onPick={pick} /> : null}
        <textarea
          ref={input}
          aria-label={`Message ${props.channelTitle}`}
          placeholder={`Message ${props.channelTitle}`}
          value={body}
          maxLength={MESSAGE_BODY_MAX_LENGTH}
          rows={Math.min(8, body.split('\n').length)}
          aria-autocomplete="list"
          aria-controls={listOpen ? listId : undefined}
          aria-activedescendant={listOpen ? mentionOptionId(listId, active) : undefined}
          onSelect={(event) => findMention(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => setMention(null)}
          onChange={(event) => {
            setBody(event.target.value);
            findMention(event.target.value, event.target.selectionStart);
            const now = Date.now();
            if (event.target.value && now - lastTypingSent.current > TYPING_SEND_INTERVAL_MS) {
              lastTypingSent.current = now;
              props.onTyping();
            }
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button-primary" disabled={!body.trim()}>
          Send
        </button>
      </div>
      <p className="composer-hint muted small">Markdown and ```code``` supported · @ to mention someone · Enter to send · Shift+Enter for a new line</p>
    </form>
  );
}
