/**
 * Every screen's address. Meeting screens belong to `features/meetings`, which registers the
 * routes for these paths (see `app/routes.tsx`); other screens only link to them.
 */
export const paths = {
  home: '/',
  signIn: '/sign-in',
  signUp: '/sign-up',
  chat: '/chat',
  channel: (channelId: string) => `/chat/${channelId}`,
  admin: '/admin',
  team: (teamId: string) => `/admin/teams/${teamId}`,
  meetings: '/meetings',
  newMeeting: '/meetings/new',
  scheduleMeeting: '/meetings/schedule',
  personalRoom: '/meetings/personal',
  meeting: (meetingId: string) => `/meetings/${meetingId}`,
} as const;
