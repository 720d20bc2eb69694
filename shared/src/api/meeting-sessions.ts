import { z } from 'zod';
import { IdSchema } from './common.js';

/**
 * Who the host removed from the meeting's current session. A removal keeps that person out until
 * the session ends (the meeting ends, or a personal room empties) or the host lets them back in.
 */
export const MeetingRemovalSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  removedBy: IdSchema,
  removedAt: z.string(),
});
export type MeetingRemoval = z.infer<typeof MeetingRemovalSchema>;
export const MeetingRemovalListSchema = z.object({ removals: z.array(MeetingRemovalSchema) });

export const MeetingRemovalParamsSchema = z.object({ id: IdSchema, userId: IdSchema });
