/**
 * Every screen's address. Meeting screens belong to `features/meetings`, which registers the
 * routes for these paths (see `app/routes.tsx`); other screens only link to them.
 */
export const paths = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  invitation: '/invite/:token',
  chat: '/chat',
  channel: (channelId: string) => `/chat/${channelId}`,
  admin: '/admin',
  settings: '/settings',
  team: (teamId: string) => `/admin/teams/${teamId}`,
  meetings: '/meetings',
  newMeeting: '/meetings/new',
  scheduleMeeting: '/meetings/schedule',
  personalRoom: '/meetings/personal',
  meeting: (meetingId: string) => `/meetings/${meetingId}`,
  /** A ringing or running call from a direct message (`features/calls`). */
  call: (callId: string) => `/calls/${callId}`,
} as const;
