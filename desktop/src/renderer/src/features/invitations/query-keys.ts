/** Invitations' TanStack Query keys, the only place they are spelled. */
export const invitationKeys = {
  /** An organization's open invitations (the admin's list). */
  list: (orgId: string) => ['orgs', orgId, 'invitations'] as const,
  /** What one link invites to, as its visitor sees it. */
  preview: (token: string) => ['invitation', token] as const,
};
