import { z } from 'zod';

/** What a client needs to know before it signs anyone in: public, no token required. */
export const ClientConfigSchema = z.object({
  auth: z.enum(['local', 'clerk']),
  clerkPublishableKey: z.string().optional(),
  video: z.enum(['local', 'stream']),
  streamApiKey: z.string().optional(),
});
export type ClientConfig = z.infer<typeof ClientConfigSchema>;
