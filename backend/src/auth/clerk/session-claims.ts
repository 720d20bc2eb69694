import { z } from 'zod';
import { unauthorized } from '../../domain-errors.js';

/** What Collaro takes from a verified Clerk session token, whichever claim version it uses. */
export interface ClerkSessionClaims {
  clerkUserId: string;
  clerkSessionId: string | null;
  /** `iat` in milliseconds, comparable with webhook timestamps. */
  issuedAtMs: number;
  expiresAt: number;
  /** `sts: "pending"`: the user still has session tasks to finish (such as choosing an organization). */
  pending: boolean;
  activeOrganization: { clerkOrgId: string; slug: string | null; role: string; permissions: string[] } | null;
}

const BaseClaimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1).optional(),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  sts: z.string().optional(),
});

/** Version 1: organization claims at the top level. */
const V1ClaimsSchema = z.object({
  org_id: z.string().min(1).optional(),
  org_slug: z.string().nullish(),
  org_role: z.string().min(1).optional(),
  org_permissions: z.array(z.string()).optional(),
});

/**
 * Version 2: the active organization is the compact `o` claim (`id`, `slg`, `rol` without its
 * `org:` prefix, `per` the permission names, `fpm` one bitmask per organization feature in `fea`).
 */
const V2ClaimsSchema = z.object({
  v: z.literal(2),
  fea: z.string().optional(),
  o: z
    .object({
      id: z.string().min(1),
      slg: z.string().nullish(),
      rol: z.string().min(1).optional(),
      per: z.string().optional(),
      fpm: z.string().optional(),
    })
    .optional(),
});

/** Organization features listed in `fea`, in order: scopes `o`, `ou` and `uo` apply to the organization. */
function organizationFeatures(fea: string | undefined): string[] {
  if (!fea) return [];
  return fea
    .split(',')
    .map((entry) => entry.trim())
    .flatMap((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 0) throw unauthorized('Malformed session token: bad "fea" claim');
      const scope = entry.slice(0, colon);
      return scope === 'o' || scope === 'ou' || scope === 'uo' ? [entry.slice(colon + 1)] : [];
    });
}

/**
 * Expands `fpm`: the n-th integer belongs to the n-th organization feature; its bit k (least
 * significant first) grants the k-th name in `per`, giving `org:<feature>:<permission>`.
 */
export function expandFeaturePermissions(fea: string | undefined, per: string | undefined, fpm: string | undefined): string[] {
  if (!per || !fpm) return [];
  const features = organizationFeatures(fea);
  const names = per.split(',').map((name) => name.trim());
  const masks = fpm.split(',').map((mask) => mask.trim());
  const permissions: string[] = [];
  masks.forEach((mask, index) => {
    const feature = features[index];
    if (feature === undefined) return;
    if (!/^\d{1,30}$/.test(mask)) throw unauthorized('Malformed session token: bad "o.fpm" claim');
    let bits = BigInt(mask);
    for (let bit = 0; bit < names.length && bits > 0n; bit += 1, bits >>= 1n) {
      if (bits & 1n) permissions.push(`org:${feature}:${names[bit]}`);
    }
  });
  return permissions;
}

/** Reads a payload that `verifyToken` has already checked (signature, expiry, `azp`). */
export function readSessionClaims(payload: Record<string, unknown>): ClerkSessionClaims {
  const base = BaseClaimsSchema.safeParse(payload);
  if (!base.success) throw unauthorized('Malformed session token: missing sub, iat or exp');
  const common = {
    clerkUserId: base.data.sub,
    clerkSessionId: base.data.sid ?? null,
    issuedAtMs: base.data.iat * 1000,
    expiresAt: base.data.exp,
    pending: base.data.sts === 'pending',
  };
  if (payload.v === 2) {
    const v2 = V2ClaimsSchema.safeParse(payload);
    if (!v2.success) throw unauthorized('Malformed session token: bad "o" claim');
    const o = v2.data.o;
    return {
      ...common,
      activeOrganization: o
        ? {
            clerkOrgId: o.id,
            slug: o.slg ?? null,
            role: o.rol ? `org:${o.rol}` : 'org:member',
            permissions: expandFeaturePermissions(v2.data.fea, o.per, o.fpm),
          }
        : null,
    };
  }
  if (payload.v !== undefined && payload.v !== 1) throw unauthorized('Unsupported session token version');
  const v1 = V1ClaimsSchema.safeParse(payload);
  if (!v1.success) throw unauthorized('Malformed session token: bad organization claims');
  const { org_id: orgId, org_slug: slug, org_role: role, org_permissions: permissions } = v1.data;
  return {
    ...common,
    activeOrganization: orgId ? { clerkOrgId: orgId, slug: slug ?? null, role: role ?? 'org:member', permissions: permissions ?? [] } : null,
  };
}
