import { z } from 'zod';
import { DisplayNameSchema, EmailSchema, IdSchema } from './common.js';
import { ORG_ROLES } from '../permissions.js';

export const PASSWORD_MIN_LENGTH = 8;

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const SignupBodySchema = z.object({
  email: EmailSchema,
  password: z.string().min(PASSWORD_MIN_LENGTH).max(256),
  name: DisplayNameSchema,
});
export type SignupBody = z.input<typeof SignupBodySchema>;

export const LoginBodySchema = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(256),
});
export type LoginBody = z.input<typeof LoginBodySchema>;

export const RefreshBodySchema = z.object({
  refreshToken: z.string().min(1).max(512),
  /**
   * `['me']`: the answer also carries what `GET /api/me` would, so an app restoring its session
   * shows the signed-in screens without waiting for another round trip.
   */
  include: z
    .array(z.enum(['me']))
    .max(1)
    .optional(),
});
export type RefreshBody = z.infer<typeof RefreshBodySchema>;

export const TokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const AuthResponseSchema = TokenPairSchema.extend({ user: UserSchema });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

export const MeResponseSchema = z.object({
  user: UserSchema,
  organizations: z.array(z.object({ id: IdSchema, name: z.string(), role: z.enum(ORG_ROLES) })),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const RefreshResponseSchema = TokenPairSchema.extend({ me: MeResponseSchema.optional() });
export type RefreshResponse = z.infer<typeof RefreshResponseSchema>;
