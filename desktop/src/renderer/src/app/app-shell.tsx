import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useMe } from '../api/queries.js';
import { cycleTheme } from '../theme/theme.js';
import { useThemePreference } from '../theme/use-theme.js';
import { Avatar } from '../ui/avatar.js';
import { ConfirmProvider } from '../ui/confirm-dialog.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorBanner } from '../ui/error-banner.js';
import { useHotkey } from '../ui/use-hotkey.js';
import { useCurrentOrg } from './current-org.js';
import { useRefreshAccessOnNotFound } from './access-watch.js';
import { paths } from './paths.js';
import { useServices } from './services.js';
import { useUnreadTotal } from '../features/chat/chat-session-hooks.js';

export const GLOBAL_SHORTCUTS: { keys: string; action: string }[] = [
  { keys: 'Alt+H', action: 'Home' },
  { keys: 'Alt+C', action: 'Chat' },
  { keys: 'Alt+M', action: 'Meetings' },
  { keys: 'Alt+O', action: 'Organization' },
  { keys: 'Alt+T', action: 'Switch theme (system, light, dark)' },
  { keys: '?', action: 'Show keyboard shortcuts' },
  { keys: 'Esc', action: 'Close a dialog or cancel an edit' },
  { keys: 'Enter / Shift+Enter', action: 'Send a message / new line' },
  { keys: '↑ in an empty message box', action: 'Edit your last message' },
];

const THEME_LABEL = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' } as const;

export function AppShell() {
  const { auth, changeServer } = useServices();
  const me = useMe();
  const { org, select, lost, dismissLost } = useCurrentOrg();
  useRefreshAccessOnNotFound();
  const navigate = useNavigate();
  const theme = useThemePreference();
  const unread = useUnreadTotal();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  // The tab or window title carries the unread count, so it shows in the task bar and tab strip.
  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) Collaro` : 'Collaro';
  }, [unread]);
  useEffect(() => () => void (document.title = 'Collaro'), []);

  useHotkey('alt+h', () => void navigate(paths.home));
  useHotkey('alt+c', () => void navigate(paths.chat));
  useHotkey('alt+m', () => void navigate(paths.meetings));
  useHotkey('alt+o', () => void navigate(paths.admin));
  useHotkey('alt+t', cycleTheme);
  useHotkey('?', () => setShortcutsOpen(true));

  const user = me.data?.user;
  const organizations = me.data?.organizations ?? [];

  return (
    <ConfirmProvider>
      <div className="shell">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              C
            </span>
            <span>Collaro</span>
          </div>
          {organizations.length > 0 ? (
            <label className="org-switcher">
              <span className="visually-hidden">Organization</span>
              <select value={org?.id ?? ''} onChange={(event) => select(event.target.value)} aria-label="Organization">
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <ul className="nav-list">
            <li>
              <NavLink to={paths.home} end className="nav-link">
                Home
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.chat} className="nav-link">
                Chat
                {unread > 0 ? (
                  <span className="badge" aria-label={`${unread} unread`} data-testid="nav-unread">
                    {unread}
                  </span>
                ) : null}
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.meetings} className="nav-link">
                Meetings
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.admin} className="nav-link">
                Organization
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.settings} className="nav-link">
                Settings
              </NavLink>
            </li>
          </ul>
          <div className="sidebar-footer">
            <button type="button" className="button button-ghost" onClick={cycleTheme} title="Alt+T">
              {THEME_LABEL[theme]}
            </button>
            <DropdownMenu.Root>
              <DropdownMenu.Trigger className="user-button" aria-label="Account menu">
                <Avatar name={user?.name ?? '?'} size={28} />
                <span className="user-name">{user?.name ?? ''}</span>
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content className="menu" side="top" align="start" sideOffset={6}>
                  <DropdownMenu.Label className="menu-label">{user?.email}</DropdownMenu.Label>
                  <DropdownMenu.Item className="menu-item" onSelect={() => setShortcutsOpen(true)}>
                    Keyboard shortcuts
                  </DropdownMenu.Item>
                  {changeServer ? (
                    <DropdownMenu.Item className="menu-item" onSelect={changeServer}>
                      Change server
                    </DropdownMenu.Item>
                  ) : null}
                  <DropdownMenu.Separator className="menu-separator" />
                  <DropdownMenu.Item className="menu-item" onSelect={() => void auth.signOut()}>
                    Sign out
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu.Root>
          </div>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {me.error ? <ErrorBanner error={me.error} onRetry={() => void me.refetch()} /> : null}
          {lost ? (
            <div className="banner banner-forbidden lost-org" role="alert">
              <span>
                You are no longer a member of <strong>{lost.name}</strong>: an admin removed you, or the organization was deleted.
              </span>
              <button type="button" className="button button-small" onClick={dismissLost}>
                OK
              </button>
            </div>
          ) : null}
          <Outlet />
        </main>
        <Dialog open={shortcutsOpen} onOpenChange={setShortcutsOpen} title="Keyboard shortcuts">
          <table className="shortcuts">
            <tbody>
              {GLOBAL_SHORTCUTS.map((shortcut) => (
                <tr key={shortcut.keys}>
                  <td>
                    <kbd>{shortcut.keys}</kbd>
                  </td>
                  <td>{shortcut.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Dialog>
      </div>
    </ConfirmProvider>
  );
}
