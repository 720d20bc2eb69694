import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './dialog.js';

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The button that goes ahead, named for what it does ("Remove", "Archive"). */
  action: string;
}
type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

/**
 * Asks before something that cannot be undone with one click (removing a person, revoking a link),
 * in the app's own dialog rather than the browser's, which some windows suppress.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((answer: boolean) => void) | null>(null);
  const confirm = useCallback<Confirm>(
    (options) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setPending(options);
      }),
    [],
  );
  const answer = (value: boolean) => {
    resolver.current?.(value);
    resolver.current = null;
    setPending(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Dialog open={pending !== null} onOpenChange={(open) => (open ? undefined : answer(false))} title={pending?.title ?? ''} description={pending?.message}>
        <div className="row dialog-actions">
          <button type="button" className="button" onClick={() => answer(false)}>
            Cancel
          </button>
          <button type="button" className="button button-primary button-danger-solid" onClick={() => answer(true)} autoFocus>
            {pending?.action}
          </button>
        </div>
      </Dialog>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm needs a ConfirmProvider above it');
  return confirm;
}
