import { z } from 'zod';

/** What the desktop app's permissions page lists. */
export const DESKTOP_PERMISSION_KINDS = ['camera', 'microphone', 'screen', 'notifications'] as const;
export type DesktopPermissionKind = (typeof DESKTOP_PERMISSION_KINDS)[number];
export const DesktopPermissionKindSchema = z.enum(DESKTOP_PERMISSION_KINDS);

/**
 * `granted`, `denied`, `restricted` (a device policy forbids it) and `not-determined` (the system
 * has not asked yet) are what macOS and Windows report; `not-required` means the system has no
 * such permission (camera on Linux: the device files decide); `unavailable` means nothing can
 * provide it (no notification server); `unknown` means the system would not say.
 */
export const PermissionStateSchema = z.enum(['granted', 'denied', 'restricted', 'not-determined', 'not-required', 'unavailable', 'unknown']);
export type PermissionState = z.infer<typeof PermissionStateSchema>;

export const DesktopPermissionSchema = z.object({
  kind: DesktopPermissionKindSchema,
  state: PermissionStateSchema,
  /** One sentence on where the state comes from or what to do ("Screen sharing goes through the desktop portal"). */
  detail: z.string().max(500),
  /** True when the app can open the system settings page for it. */
  canOpenSettings: z.boolean(),
});
export type DesktopPermission = z.infer<typeof DesktopPermissionSchema>;

/** The operating system's own do-not-disturb / Focus, where Collaro can read it. */
export const SystemDoNotDisturbSchema = z.object({
  state: z.enum(['on', 'off', 'unknown']),
  /** Where it was read ("GNOME: org.gnome.desktop.notifications show-banners"), or why it cannot be. */
  source: z.string().max(300),
});
export type SystemDoNotDisturb = z.infer<typeof SystemDoNotDisturbSchema>;

export const DesktopPermissionsReportSchema = z.object({
  permissions: z.array(DesktopPermissionSchema),
  systemDoNotDisturb: SystemDoNotDisturbSchema,
  /** Linux: how screens are captured; `portal` under Wayland (xdg-desktop-portal and PipeWire). */
  screenCapture: z.enum(['system', 'x11', 'portal']),
});
export type DesktopPermissionsReport = z.infer<typeof DesktopPermissionsReportSchema>;

export const OpenPermissionSettingsResultSchema = z.object({ opened: z.boolean(), message: z.string().max(500) });
export type OpenPermissionSettingsResult = z.infer<typeof OpenPermissionSettingsResultSchema>;
