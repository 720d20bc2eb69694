import { pushToTalkKeyLabel, usePushToTalkSettings, useTalking } from './push-to-talk.js';

/** "Talking" while the push-to-talk key is held; otherwise, when muted, which key to hold. */
export function PushToTalkStatus({ muted }: { muted: boolean }) {
  const talking = useTalking();
  const settings = usePushToTalkSettings();
  if (talking) {
    return (
      <span className="talking-indicator" role="status" data-testid="talking-indicator">
        Talking
      </span>
    );
  }
  if (!muted || !settings.enabled) return null;
  return (
    <span className="muted small" data-testid="push-to-talk-hint">
      Hold {pushToTalkKeyLabel(settings.code)} to talk
    </span>
  );
}
