import {
  DEFAULT_JOIN_NEXT_SHORTCUT,
  parseGlobalAccelerator,
  type DesktopPermission,
  type DesktopPermissionsReport,
  type DesktopSettings,
} from '@collaro/shared';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { describeError } from '../../api/api-error.js';
import { desktopBridge } from '../../platform/desktop-bridge.js';
import { Spinner } from '../../ui/spinner.js';

const PERMISSION_NAMES: Record<DesktopPermission['kind'], string> = {
  camera: 'Camera',
  microphone: 'Microphone',
  screen: 'Screen recording',
  notifications: 'Notifications',
};

const STATE_LABELS: Record<DesktopPermission['state'], string> = {
  granted: 'Allowed',
  denied: 'Denied',
  restricted: 'Blocked by a policy',
  'not-determined': 'Not asked yet',
  'not-required': 'No permission needed',
  unavailable: 'Not available',
  unknown: 'Unknown',
};

const SHORTCUT_STATUS: Record<DesktopSettings['joinNextShortcutStatus'], string> = {
  registered: 'Works from any application.',
  taken: 'Another application holds this combination, so it does nothing: choose another.',
  off: 'Turned off. The tray menu still has “Join next meeting”.',
};

/** The desktop app's own settings: the join-next shortcut, presenting mode and the system permissions Collaro needs. */
export function DesktopSections() {
  const bridge = desktopBridge();
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  const [report, setReport] = useState<DesktopPermissionsReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    if (!bridge) return;
    Promise.all([bridge.settings.get(), bridge.permissions.get()]).then(
      ([nextSettings, nextReport]) => {
        setSettings(nextSettings);
        setReport(nextReport);
      },
      (caught: unknown) => setError(describeError(caught)),
    );
  }, [bridge]);
  useEffect(refresh, [refresh]);

  if (!bridge) return null;
  return (
    <>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {!settings || !report ? (
        <Spinner />
      ) : (
        <>
          <JoinNextShortcut settings={settings} onSaved={setSettings} />
          <section className="card" aria-labelledby="presenting-heading">
            <h2 id="presenting-heading">Presenting</h2>
            <p>
              While you share your screen, notifications about messages wait until you stop, a meeting reminder shows without its title, and do-not-disturb
              switches on. Afterwards your status goes back to what it was, unless you chose one yourself during the share: then your choice stays.
            </p>
            <p data-testid="system-dnd">
              System do-not-disturb: <strong>{report.systemDoNotDisturb.state}</strong> <span className="muted">({report.systemDoNotDisturb.source})</span>.
              While it is on, Collaro shows no notifications and calls do not ring.
            </p>
          </section>
          <section className="card" aria-labelledby="permissions-heading">
            <h2 id="permissions-heading">Permissions</h2>
            <table className="permissions">
              <tbody>
                {report.permissions.map((permission) => (
                  <PermissionRow key={permission.kind} permission={permission} />
                ))}
              </tbody>
            </table>
            {report.screenCapture === 'portal' ? (
              <p className="muted" data-testid="portal-note">
                This is a Wayland session: screens are shared through the desktop portal (xdg-desktop-portal with PipeWire), which asks you what to share each
                time.
              </p>
            ) : null}
            <button type="button" className="button" onClick={refresh}>
              Check again
            </button>
          </section>
        </>
      )}
    </>
  );
}

function PermissionRow({ permission }: { permission: DesktopPermission }) {
  const bridge = desktopBridge();
  const [message, setMessage] = useState<string | null>(null);
  const open = async () => {
    const result = await bridge!.permissions.openSettings(permission.kind);
    setMessage(result.opened ? null : result.message);
  };
  return (
    <tr data-testid={`permission-${permission.kind}`}>
      <th scope="row">{PERMISSION_NAMES[permission.kind]}</th>
      <td>
        <strong data-testid="permission-state">{STATE_LABELS[permission.state]}</strong>
        <div className="muted">{permission.detail}</div>
        {message ? (
          <div className="field-error" role="alert">
            {message}
          </div>
        ) : null}
      </td>
      <td>
        {permission.canOpenSettings ? (
          <button type="button" className="button button-small" onClick={() => void open()}>
            Open system settings
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function JoinNextShortcut({ settings, onSaved }: { settings: DesktopSettings; onSaved: (settings: DesktopSettings) => void }) {
  const [value, setValue] = useState(settings.joinNextShortcut ?? DEFAULT_JOIN_NEXT_SHORTCUT);
  const [error, setError] = useState<string | null>(null);
  const save = async (shortcut: string | null) => {
    if (shortcut !== null) {
      const parsed = parseGlobalAccelerator(shortcut);
      if (!parsed.ok) return setError(parsed.message);
      shortcut = parsed.accelerator;
    }
    try {
      const saved = await desktopBridge()!.settings.set({ joinNextShortcut: shortcut });
      setError(null);
      if (saved.joinNextShortcut) setValue(saved.joinNextShortcut);
      onSaved(saved);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(value);
  };
  return (
    <section className="card" aria-labelledby="join-next-heading">
      <h2 id="join-next-heading">Join next meeting</h2>
      <p className="muted">From any application, this shortcut opens the meeting that is on or starts within ten minutes.</p>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Shortcut</span>
          <input value={value} onChange={(event) => setValue(event.target.value)} aria-invalid={error ? true : undefined} />
        </label>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <p data-testid="shortcut-status">
          {settings.joinNextShortcut ? `${settings.joinNextShortcut}: ${SHORTCUT_STATUS[settings.joinNextShortcutStatus]}` : SHORTCUT_STATUS.off}
        </p>
        <div className="row">
          <button type="submit" className="button button-primary">
            Save shortcut
          </button>
          {settings.joinNextShortcut ? (
            <button type="button" className="button" onClick={() => void save(null)}>
              Turn off
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
