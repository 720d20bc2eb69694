import { z } from 'zod';
import { EmailSchema, IdSchema } from './common.js';
import { ORG_ROLES } from '../permissions.js';

/** How long an invitation link works when the admin does not say. */
export const INVITATION_DEFAULT_DAYS = 7;
export const INVITATION_MAX_DAYS = 30;

/** 32 random bytes, base64url: 43 characters. */
export const InvitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an invitation token');

export const CreateInvitationBodySchema = z.object({
  role: z.enum(ORG_ROLES).default('member'),
  /** For one person: only an account with this email can accept, and only once. Without it the link can be shared. */
  email: EmailSchema.optional(),
  expiresInDays: z.number().int().min(1).max(INVITATION_MAX_DAYS).default(INVITATION_DEFAULT_DAYS),
});
export type CreateInvitationBody = z.input<typeof CreateInvitationBodySchema>;

export const InvitationSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  role: z.enum(ORG_ROLES),
  email: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  createdByName: z.string().nullable(),
  /** How many people joined through it. */
  acceptedCount: z.number().int().nonnegative(),
});
export type Invitation = z.infer<typeof InvitationSchema>;
export const InvitationListSchema = z.object({ invitations: z.array(InvitationSchema) });

/** Returned once, at creation: the token is stored only as a hash and cannot be shown again. */
export const CreatedInvitationSchema = InvitationSchema.extend({ token: InvitationTokenSchema, url: z.url() });
export type CreatedInvitation = z.infer<typeof CreatedInvitationSchema>;

export const InvitationParamsSchema = z.object({ orgId: IdSchema, invitationId: IdSchema });
export const InvitationTokenParamsSchema = z.object({ token: InvitationTokenSchema });

/** What the invitation page shows before anyone signs in. */
export const InvitationPreviewSchema = z.object({
  orgName: z.string(),
  role: z.enum(ORG_ROLES),
  email: z.string().nullable(),
  invitedByName: z.string().nullable(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

export const AcceptInvitationResponseSchema = z.object({ orgId: IdSchema, role: z.enum(ORG_ROLES) });
export type AcceptInvitationResponse = z.infer<typeof AcceptInvitationResponseSchema>;

/** The app's address for an invitation link, `<server>/invite/<token>`. */
export function invitationPath(token: string): string {
  return `/invite/${token}`;
}
