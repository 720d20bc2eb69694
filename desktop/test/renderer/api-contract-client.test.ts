import { endpoint, endpoints, MeetingSchema } from '@collaro/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../../src/renderer/src/api/api-client.js';
import { ApiRequestError } from '../../src/renderer/src/api/api-error.js';

const MEETING_ID = '5e8b0c9a-0000-4000-8000-000000000001';
const MEETING = {
  id: MEETING_ID,
  orgId: '5e8b0c9a-0000-4000-8000-000000000002',
  teamId: null,
  kind: 'scheduled',
  title: 'Standup',
  description: '',
  startsAt: '2030-01-31T09:00:00.000Z',
  endsAt: '2030-01-31T09:30:00.000Z',
  durationMinutes: 30,
  hostId: '5e8b0c9a-0000-4000-8000-000000000003',
  status: 'scheduled',
  provider: 'local',
  inviteeIds: [],
  inviteesOnly: false,
  sequence: 0,
  joinUrl: `https://collaro.example.com/m/${MEETING_ID}`,
  deepLink: `collaro://meeting/${MEETING_ID}`,
};
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function recordingClient(answer: () => Response) {
  const sent: string[] = [];
  const api = new ApiClient('https://collaro.example.com', async (input, init) => {
    sent.push(`${init?.method} ${String(input)}${init?.body ? ` ${String(init.body)}` : ''}`);
    return answer();
  });
  return { api, sent };
}

describe('calls through the shared contract', () => {
  it('builds the path from the template with encoded parameters and the query from the endpoint', async () => {
    const { api, sent } = recordingClient(() => json(200, { meetings: [] }));
    await api.call(endpoints.meetings.list, { query: { orgId: 'o1', scope: 'live' } });
    const removal = recordingClient(() => new Response(null, { status: 204 }));
    await expect(removal.api.call(endpoints.meetings.liftRemoval, { params: { id: 'a/b', userId: 'c d' } })).resolves.toBeNull();
    expect([...sent, ...removal.sent]).toEqual([
      'GET https://collaro.example.com/api/meetings?orgId=o1&scope=live',
      'DELETE https://collaro.example.com/api/meetings/a%2Fb/removals/c%20d',
    ]);
  });

  it('sends the body as JSON and validates the answer against the schema of its status', async () => {
    const parsed = MeetingSchema.safeParse(MEETING);
    expect(parsed.success).toBe(true);
    const { api, sent } = recordingClient(() => json(201, MEETING));
    await expect(api.call(endpoints.meetings.create, { body: { orgId: MEETING.orgId, title: 'Standup' } })).resolves.toEqual(parsed.data);
    expect(sent).toEqual([`POST https://collaro.example.com/api/meetings {"orgId":"${MEETING.orgId}","title":"Standup"}`]);
  });

  it('refuses a success status the endpoint does not declare, and an answer its schema rejects', async () => {
    const wrongStatus = recordingClient(() => json(200, MEETING)).api.call(endpoints.meetings.create, { body: { orgId: MEETING.orgId, title: 'x' } });
    await expect(wrongStatus).rejects.toMatchObject({ status: 200, code: 'unexpected_response' });
    const wrongBody = recordingClient(() => json(200, { id: 'nope' })).api.call(endpoints.meetings.get, { params: { id: MEETING_ID } });
    await expect(wrongBody).rejects.toThrow(`The server sent an answer this app does not understand (GET /api/meetings/${MEETING_ID})`);
    await expect(wrongBody).rejects.toBeInstanceOf(ApiRequestError);
  });

  it('refuses to send a call whose path parameter is missing', async () => {
    const { api, sent } = recordingClient(() => json(200, MEETING));
    const untyped = api.call.bind(api) as (target: unknown, input: unknown) => Promise<unknown>;
    await expect(untyped(endpoints.meetings.get, { params: {} })).rejects.toThrow('/api/meetings/:id needs a value for :id');
    await expect(untyped(endpoints.meetings.get, undefined)).rejects.toThrow('needs a value for :id');
    expect(sent).toEqual([]);
  });

  it('returns the raw response of a download', async () => {
    const { api, sent } = recordingClient(() => new Response('BEGIN:VCALENDAR', { status: 200, headers: { 'content-type': 'text/calendar' } }));
    const response = await api.download(endpoints.meetings.inviteIcs, { params: { id: MEETING_ID } });
    await expect(response.text()).resolves.toBe('BEGIN:VCALENDAR');
    expect(sent).toEqual([`GET https://collaro.example.com/api/meetings/${MEETING_ID}/invite.ics`]);
  });
});

describe('the contract at the type level', () => {
  it('rejects calls without their parameters, query or body, and endpoints whose params disagree with their path', () => {
    const api = new ApiClient('', async () => json(200, MEETING));
    const typeChecks = () => {
      // @ts-expect-error: the path has an :id parameter
      void api.call(endpoints.meetings.get);
      // @ts-expect-error: the parameter is named id, not meetingId
      void api.call(endpoints.meetings.get, { params: { meetingId: MEETING_ID } });
      // @ts-expect-error: listing meetings needs the organization
      void api.call(endpoints.meetings.list, { query: { scope: 'live' } });
      // @ts-expect-error: creating a meeting needs a body
      void api.call(endpoints.meetings.create, {});
      // @ts-expect-error: a parameter the path does not have
      void api.call(endpoints.meetings.next, { params: { id: MEETING_ID } });
      endpoint({
        method: 'GET',
        path: '/api/things/:thingId',
        tags: [],
        // @ts-expect-error: the schema must name the path's parameter
        params: z.object({ id: z.string() }),
        responses: { 200: z.null() },
      });
      // @ts-expect-error: a path without parameters takes no params schema
      endpoint({ method: 'GET', path: '/api/things', tags: [], params: z.object({ id: z.string() }), responses: { 200: z.null() } });
    };
    expect(typeChecks).toBeTypeOf('function');
  });

  it('types the answer from the success schemas', async () => {
    const api = new ApiClient('', async () => json(200, { meeting: null }));
    const answer = await api.call(endpoints.meetings.next);
    const meeting: z.infer<typeof MeetingSchema> | null = answer.meeting;
    expect(meeting).toBeNull();
  });
});
