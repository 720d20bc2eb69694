import { ActiveCallListSchema, CallParamsSchema, CallSchema, StartCallResponseSchema } from '../calls.js';
import { ChannelParamsSchema } from '../chat.js';
import { endpoint, resourceErrorResponses as errors } from '../http-contract.js';

const tags = ['calls'];
/** Accept, decline, cancel and hang up: a POST on the call that answers the call as it now is. */
const action = { method: 'POST', tags, params: CallParamsSchema, responses: { 200: CallSchema, ...errors } } as const;

/** Ringing calls from direct messages, for the conversation's members. */
export const callEndpoints = {
  /** 201 when this started the call; 200 with the call already ringing or running in the conversation. */
  start: endpoint({
    method: 'POST',
    path: '/api/channels/:channelId/calls',
    tags,
    params: ChannelParamsSchema,
    responses: { 200: StartCallResponseSchema, 201: StartCallResponseSchema, ...errors },
  }),
  active: endpoint({ method: 'GET', path: '/api/calls/active', tags, responses: { 200: ActiveCallListSchema, ...errors } }),
  get: endpoint({ method: 'GET', path: '/api/calls/:callId', tags, params: CallParamsSchema, responses: { 200: CallSchema, ...errors } }),
  accept: endpoint({ ...action, path: '/api/calls/:callId/accept' }),
  decline: endpoint({ ...action, path: '/api/calls/:callId/decline' }),
  cancel: endpoint({ ...action, path: '/api/calls/:callId/cancel' }),
  hangUp: endpoint({ ...action, path: '/api/calls/:callId/hang-up' }),
};
