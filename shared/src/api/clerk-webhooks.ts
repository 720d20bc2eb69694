import { z } from 'zod';
import { toSingleLine } from './text.js';

/**
 * The parts of Clerk's webhook payloads Collaro reads. Objects stay open (Clerk adds fields over
 * time); every field Collaro relies on is checked.
 */
const ClerkIdSchema = z.string().min(1).max(200);
const ClerkTimestampMsSchema = z.number().int().nonnegative();

export const ClerkUserDataSchema = z.object({
  id: ClerkIdSchema,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  primary_email_address_id: z.string().nullish(),
  email_addresses: z
    .array(
      z.object({
        id: z.string(),
        email_address: z.string(),
        verification: z.object({ status: z.string() }).nullish(),
      }),
    )
    .default([]),
  updated_at: ClerkTimestampMsSchema.optional(),
});
export type ClerkUserData = z.infer<typeof ClerkUserDataSchema>;

export const ClerkDeletedObjectSchema = z.object({ id: ClerkIdSchema, deleted: z.boolean().optional() });

export const ClerkOrganizationDataSchema = z.object({
  id: ClerkIdSchema,
  // Clerk's names are taken as they come, minus what no name may hold (see text.ts).
  name: z.string().transform(toSingleLine).pipe(z.string().min(1)),
  slug: z.string().nullish(),
  updated_at: ClerkTimestampMsSchema.optional(),
});
export type ClerkOrganizationData = z.infer<typeof ClerkOrganizationDataSchema>;

export const ClerkMembershipDataSchema = z.object({
  id: ClerkIdSchema,
  role: z.string().min(1),
  permissions: z.array(z.string()).default([]),
  organization: ClerkOrganizationDataSchema,
  public_user_data: z.object({
    user_id: ClerkIdSchema,
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    identifier: z.string().nullish(),
  }),
  updated_at: ClerkTimestampMsSchema.optional(),
});
export type ClerkMembershipData = z.infer<typeof ClerkMembershipDataSchema>;

const event = <Type extends string, Data extends z.ZodType>(type: Type, data: Data) =>
  z.object({
    type: z.literal(type),
    /** When Clerk emitted the event (ms); retries keep it, unlike the svix-timestamp header. */
    timestamp: ClerkTimestampMsSchema.optional(),
    data,
  });

export const ClerkWebhookEventSchema = z.discriminatedUnion('type', [
  event('user.created', ClerkUserDataSchema),
  event('user.updated', ClerkUserDataSchema),
  event('user.deleted', ClerkDeletedObjectSchema),
  event('organization.created', ClerkOrganizationDataSchema),
  event('organization.updated', ClerkOrganizationDataSchema),
  event('organization.deleted', ClerkDeletedObjectSchema),
  event('organizationMembership.created', ClerkMembershipDataSchema),
  event('organizationMembership.updated', ClerkMembershipDataSchema),
  event('organizationMembership.deleted', ClerkMembershipDataSchema),
]);
export type ClerkWebhookEvent = z.infer<typeof ClerkWebhookEventSchema>;
export type ClerkWebhookEventType = ClerkWebhookEvent['type'];
export const CLERK_WEBHOOK_EVENT_TYPES = ClerkWebhookEventSchema.options.map((option) => option.shape.type.value);

/** Any event Clerk may send; types Collaro does not handle are acknowledged and ignored. */
export const ClerkWebhookEnvelopeSchema = z.object({ type: z.string().min(1), object: z.literal('event').optional() });

export const ClerkWebhookResponseSchema = z.object({
  outcome: z.enum(['applied', 'duplicate', 'ignored']),
});
export type ClerkWebhookResponse = z.infer<typeof ClerkWebhookResponseSchema>;
