import type { ClerkClient } from '@clerk/backend';
import type { ClerkProfile } from './clerk-sync-repository.js';
import type { ClerkConfig } from './clerk-config.js';
import { clerkProfile } from './clerk-profile.js';

/** A sign-in must not hang on Clerk: past this, the user is provisioned without a profile. */
export const PROFILE_LOOKUP_TIMEOUT_MS = 3000;

/**
 * The only calls Collaro makes to Clerk's Backend API: a user's profile, once, when a session token
 * arrives for someone no webhook has introduced yet.
 */
export class ClerkBackendApi {
  /** Made with the first lookup: Clerk's library is loaded then, not with every server. */
  private client: Promise<ClerkClient> | null = null;

  constructor(private readonly config: Pick<ClerkConfig, 'secretKey' | 'publishableKey' | 'apiUrl'>) {}

  private clerkClient(): Promise<ClerkClient> {
    this.client ??= import('@clerk/backend').then(({ createClerkClient }) =>
      createClerkClient({
        secretKey: this.config.secretKey,
        publishableKey: this.config.publishableKey,
        apiUrl: this.config.apiUrl,
        telemetry: { disabled: true },
      }),
    );
    return this.client;
  }

  async fetchProfile(clerkUserId: string): Promise<ClerkProfile> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Clerk did not answer within ${PROFILE_LOOKUP_TIMEOUT_MS} ms`)), PROFILE_LOOKUP_TIMEOUT_MS);
    });
    try {
      const user = await Promise.race([this.clerkClient().then((client) => client.users.getUser(clerkUserId)), timeout]);
      return clerkProfile({
        clerkUserId,
        firstName: user.firstName,
        lastName: user.lastName,
        username: user.username,
        email: user.primaryEmailAddress?.emailAddress ?? null,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
