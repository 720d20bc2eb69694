import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApiErrorSchema,
  ClerkWebhookEnvelopeSchema,
  ClerkWebhookEventSchema,
  ClerkWebhookResponseSchema,
  CLERK_WEBHOOK_EVENT_TYPES,
  type ClerkMembershipData,
  type ClerkWebhookEvent,
  type ClerkWebhookResponse,
} from '@collaro/shared';
import { clerkProfile, clerkProfileFromWebhookUser } from './clerk-profile.js';
import { collaroPermissionsForClerkPermissions, collaroRoleForClerkRole } from './clerk-roles.js';
import type { Clock } from '../local/access-tokens.js';
import type { Queryable } from '../../db/client.js';
import { badRequest, DomainError, unauthorized } from '../../domain-errors.js';
import {
  applyClerkMembership,
  applyClerkMembershipDeletion,
  applyClerkOrganization,
  applyClerkOrganizationDeletion,
  applyClerkUser,
  applyClerkUserDeletion,
  recordWebhookDelivery,
  type MembershipObservation,
} from './clerk-sync-repository.js';

export interface ClerkWebhookRoutesOptions {
  /** CLERK_WEBHOOK_SIGNING_SECRET; without it every delivery is refused. */
  signingSecret: string | undefined;
  clock?: Clock;
  /** Told which users' memberships changed, so their open connections follow at once. */
  onAccessChanged: (userIds: string[]) => void;
}

const SVIX_HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;
const HANDLED = new Set<string>(CLERK_WEBHOOK_EVENT_TYPES);

/**
 * `POST /api/webhooks/clerk`: Clerk's user, organization and membership events, applied to
 * Collaro's tables. The signature is checked over the raw bytes (svix), deliveries older or newer
 * than five minutes are refused, and a repeated `svix-id` is acknowledged without being applied again.
 */
export const clerkWebhookRoutes: FastifyPluginAsyncZod<ClerkWebhookRoutesOptions> = async (app, { signingSecret, clock = Date.now, onAccessChanged }) => {
  // The signature library is loaded when Clerk's webhooks are served, not with every server.
  const { Webhook, WebhookVerificationError } = await import('svix');
  const verifier = signingSecret ? new Webhook(signingSecret) : undefined;

  // The signature covers the bytes Clerk sent: keep them as they are, whatever the content type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Clerk webhook (svix-signed)',
        response: {
          200: ClerkWebhookResponseSchema,
          400: ApiErrorSchema,
          401: ApiErrorSchema,
          422: ApiErrorSchema,
          503: ApiErrorSchema,
        },
      },
    },
    async (request): Promise<ClerkWebhookResponse> => {
      if (!verifier) {
        throw new DomainError('service_unavailable', 'Clerk webhooks are not configured on this server: set CLERK_WEBHOOK_SIGNING_SECRET');
      }
      const headers: Record<string, string> = {};
      for (const name of SVIX_HEADERS) {
        const value = request.headers[name];
        if (typeof value !== 'string' || value === '') throw badRequest(`Missing ${name} header`);
        headers[name] = value;
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      if (!rawBody) throw badRequest('Empty webhook body');

      let payload: unknown;
      try {
        payload = verifier.verify(rawBody, headers);
      } catch (error) {
        if (error instanceof WebhookVerificationError) throw unauthorized(verificationFailure(error.message));
        throw badRequest('Webhook body is not JSON');
      }

      const envelope = ClerkWebhookEnvelopeSchema.safeParse(payload);
      if (!envelope.success) throw new DomainError('validation_failed', 'Webhook body is not a Clerk event');
      let event: ClerkWebhookEvent | undefined;
      if (HANDLED.has(envelope.data.type)) {
        const parsed = ClerkWebhookEventSchema.safeParse(payload);
        if (!parsed.success) {
          const where = parsed.error.issues.map((issue) => `${['body', ...issue.path].join('.')}: ${issue.message}`).join('; ');
          throw new DomainError('validation_failed', `Clerk ${envelope.data.type} event: ${where}`);
        }
        event = parsed.data;
      }

      const svixId = headers['svix-id']!;
      // Clerk's event time orders events; the svix timestamp is per attempt and would make a retry look new.
      const observedAtMs = event?.timestamp ?? Number.parseInt(headers['svix-timestamp']!, 10) * 1000;
      const now = new Date(clock());
      const result = await app.db.transaction(async (tx): Promise<{ outcome: ClerkWebhookResponse['outcome']; accessChangedFor: string[] }> => {
        if (!(await recordWebhookDelivery(tx, svixId, envelope.data.type, now))) return { outcome: 'duplicate', accessChangedFor: [] };
        if (!event) return { outcome: 'ignored', accessChangedFor: [] };
        const applied = await applyEvent(tx, event, observedAtMs, now);
        return { outcome: applied.outcome === 'applied' ? 'applied' : 'ignored', accessChangedFor: applied.accessChangedFor };
      });
      // After the commit, so live connections reload what the database now says.
      if (result.accessChangedFor.length > 0) onAccessChanged(result.accessChangedFor);
      request.log.info({ svixId, type: envelope.data.type, outcome: result.outcome }, 'Clerk webhook');
      return { outcome: result.outcome };
    },
  );
};

function verificationFailure(reason: string): string {
  if (reason.includes('too old')) return 'Webhook timestamp is more than 5 minutes old';
  if (reason.includes('too new')) return 'Webhook timestamp is more than 5 minutes in the future';
  if (reason.includes('Invalid Signature Headers')) return 'Webhook svix-timestamp header is not a number';
  return 'Webhook signature does not match the signing secret';
}

function membershipObservation(data: ClerkMembershipData, observedAtMs: number): MembershipObservation {
  return { clerkOrgId: data.organization.id, clerkUserId: data.public_user_data.user_id, observedAtMs, source: 'webhook' };
}

async function applyEvent(db: Queryable, event: ClerkWebhookEvent, observedAtMs: number, now: Date) {
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
      return applyClerkUser(db, event.data.id, clerkProfileFromWebhookUser(event.data), observedAtMs, now);
    case 'user.deleted':
      return applyClerkUserDeletion(db, event.data.id, observedAtMs);
    case 'organization.created':
    case 'organization.updated':
      return applyClerkOrganization(db, event.data.id, event.data.name, observedAtMs);
    case 'organization.deleted':
      return applyClerkOrganizationDeletion(db, event.data.id, observedAtMs);
    case 'organizationMembership.created':
    case 'organizationMembership.updated': {
      const { data } = event;
      const person = data.public_user_data;
      return applyClerkMembership(db, membershipObservation(data, observedAtMs), {
        role: collaroRoleForClerkRole(data.role),
        grantedPermissions: collaroPermissionsForClerkPermissions(data.permissions),
        organizationName: data.organization.name,
        userProfile: clerkProfile({
          clerkUserId: person.user_id,
          firstName: person.first_name,
          lastName: person.last_name,
          email: person.identifier?.includes('@') ? person.identifier : null,
        }),
      });
    }
    case 'organizationMembership.deleted':
      return applyClerkMembershipDeletion(db, membershipObservation(event.data, observedAtMs));
  }
}
