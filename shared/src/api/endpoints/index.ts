import { authEndpoints, meEndpoints, serverEndpoints } from './account.js';
import { calendarEndpoints } from './calendar.js';
import { callEndpoints } from './calls.js';
import { chatEndpoints } from './chat.js';
import { guestEndpoints } from './guests.js';
import { invitationEndpoints } from './invitations.js';
import { meetingEndpoints } from './meetings.js';
import { orgEndpoints } from './orgs.js';
import { teamEndpoints } from './teams.js';

/** Every endpoint of Collaro's HTTP API, by feature (webhooks and the /m/ join page excepted). */
export const endpoints = {
  server: serverEndpoints,
  auth: authEndpoints,
  me: meEndpoints,
  orgs: orgEndpoints,
  teams: teamEndpoints,
  invitations: invitationEndpoints,
  chat: chatEndpoints,
  calls: callEndpoints,
  meetings: meetingEndpoints,
  calendar: calendarEndpoints,
  guests: guestEndpoints,
};
