import type { DesktopSettings, DesktopSettingsPatch } from '@collaro/shared';
import { useEffect, useState } from 'react';
import { isUsablePushToTalkCode, pushToTalkKeyLabel, savePushToTalkSettings, usePushToTalkSettings } from '../meetings/call/push-to-talk.js';

/** Push to talk (every client) and the small call window (desktop app only, `desktop` non-null). */
export function CallSettings({ desktop, onDesktopChange }: { desktop: DesktopSettings | null; onDesktopChange: (patch: DesktopSettingsPatch) => void }) {
  const pushToTalk = usePushToTalkSettings();
  const [choosingKey, setChoosingKey] = useState(false);
  const [keyError, setKeyError] = useState<string | null>(null);

  useEffect(() => {
    if (!choosingKey) return;
    const onKeyDown = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.code === 'Escape') {
        setChoosingKey(false);
        return;
      }
      if (!isUsablePushToTalkCode(event.code)) {
        setKeyError(`${pushToTalkKeyLabel(event.code)} cannot be held to talk; choose another key.`);
        return;
      }
      savePushToTalkSettings({ ...pushToTalk, code: event.code });
      setKeyError(null);
      setChoosingKey(false);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [choosingKey, pushToTalk]);

  return (
    <section className="card" aria-labelledby="call-settings-title">
      <h2 id="call-settings-title">Calls</h2>
      <label className="checkbox-row">
        <input type="checkbox" checked={pushToTalk.enabled} onChange={(event) => savePushToTalkSettings({ ...pushToTalk, enabled: event.target.checked })} />
        Push to talk: hold a key to speak while muted
      </label>
      <div className="settings-row">
        <span id="push-to-talk-key-label">Push-to-talk key</span>
        <kbd data-testid="push-to-talk-key">{pushToTalkKeyLabel(pushToTalk.code)}</kbd>
        <button
          type="button"
          className="button button-small"
          aria-describedby="push-to-talk-key-label"
          onClick={() => setChoosingKey(true)}
          disabled={choosingKey}
        >
          {choosingKey ? 'Press a key… (Esc cancels)' : 'Change key'}
        </button>
        {pushToTalk.code !== 'Space' ? (
          <button type="button" className="button button-small button-ghost" onClick={() => savePushToTalkSettings({ ...pushToTalk, code: 'Space' })}>
            Back to Space
          </button>
        ) : null}
      </div>
      {keyError ? (
        <p className="field-error" role="alert">
          {keyError}
        </p>
      ) : null}
      <p className="muted small">
        Push to talk works while Collaro’s window has the keyboard focus, but never while you type in a field. In another application,
        {desktop ? ' use Ctrl+Shift+M (Cmd+Shift+M on macOS) to mute or unmute:' : ''} the browser and the desktop app cannot see a key held elsewhere. Kept on
        this device.
      </p>
      {desktop ? (
        <label className="checkbox-row">
          <input type="checkbox" checked={desktop.miniCallWindow} onChange={(event) => onDesktopChange({ miniCallWindow: event.target.checked })} />
          Show a small window with the active speaker, above other windows, while Collaro’s window is hidden during a call
        </label>
      ) : null}
    </section>
  );
}
