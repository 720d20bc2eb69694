import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import { ClerkAuthProvider, loadClerkVerifier } from './clerk-auth-provider.js';
import { ClerkBackendApi } from './clerk-backend-api.js';
import type { ClerkConfig } from './clerk-config.js';

export { clerkOnlyAuthRoutes } from './clerk-only-auth-routes.js';
export type { ClerkConfig } from './clerk-config.js';

/**
 * The Clerk provider as the app runs it. Without CLERK_AUTHORIZED_PARTIES, `azp` must be one of the
 * origins the server already serves (the desktop app, PUBLIC_URL, CORS_ORIGINS): it is never unchecked.
 */
export async function createClerkAuthProvider(options: {
  db: Database;
  clerk: ClerkConfig;
  trustedOrigins: string[];
  log: FastifyBaseLogger;
  onAccessChanged: (userIds: string[]) => void;
}): Promise<ClerkAuthProvider> {
  const { clerk } = options;
  // Loaded now rather than on the first sign-in: a broken install shows at start-up, and the first request waits for nothing.
  await loadClerkVerifier();
  const authorizedParties = clerk.authorizedParties ?? [...new Set(options.trustedOrigins.map((origin) => origin.replace(/\/+$/, '')))];
  if (!clerk.jwtKey) options.log.warn('CLERK_JWT_KEY is not set: session tokens are verified with keys fetched from Clerk');
  if (!clerk.webhookSigningSecret) options.log.warn('CLERK_WEBHOOK_SIGNING_SECRET is not set: Clerk webhooks will be refused');
  return new ClerkAuthProvider({
    db: options.db,
    config: clerk,
    authorizedParties,
    backendApi: new ClerkBackendApi(clerk),
    onAccessChanged: options.onAccessChanged,
    warn: (details, message) => options.log.warn(details, message),
  });
}
