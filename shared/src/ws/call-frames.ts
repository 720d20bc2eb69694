import { z } from 'zod';
import { CallSchema } from '../api/calls.js';

/**
 * Call frames, server to client only: the call's whole state, sent to every member (each of their
 * connections, on every instance) whenever it changes. Clients act on calls over HTTP
 * (`/api/calls/...`), so there is no client frame to handle.
 */
export const CallUpdatedFrameSchema = z.object({ type: z.literal('call.updated'), call: CallSchema });

export const callServerFrames = [CallUpdatedFrameSchema] as const;
