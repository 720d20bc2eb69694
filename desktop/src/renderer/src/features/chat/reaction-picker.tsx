import * as Popover from '@radix-ui/react-popover';
import { SmilePlus } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { loadWithRetries } from '../../app/route-errors.js';
import { Spinner } from '../../ui/spinner.js';
import { useThemePreference } from '../../theme/use-theme.js';

// The picker and its emoji data (about 600 KB before compression) load the first time someone
// opens it, never with the app.
const EmojiPicker = lazy(() => loadWithRetries(() => import('emoji-picker-react')));

/** The "Add reaction" button: a searchable emoji picker in a popover. */
export function ReactionPicker({ open, onOpenChange, onPick }: { open: boolean; onOpenChange: (open: boolean) => void; onPick: (emoji: string) => void }) {
  const theme = useThemePreference();
  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      <Popover.Trigger className="icon-button" aria-label="Add reaction" title="Add reaction">
        <SmilePlus size={16} aria-hidden="true" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="emoji-popover" side="top" align="end" sideOffset={6} aria-label="Pick a reaction">
          <Suspense fallback={<Spinner label="Loading emoji" />}>
            <EmojiPicker
              colorScheme={theme === 'system' ? 'auto' : theme}
              previewConfig={{ showPreview: false }}
              width={320}
              height={380}
              onEmojiClick={(picked) => {
                onPick(picked.emoji);
                onOpenChange(false);
              }}
            />
          </Suspense>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
