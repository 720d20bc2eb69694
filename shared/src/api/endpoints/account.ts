import { z } from 'zod';
import { ApiErrorSchema } from '../../errors.js';
import { AuthResponseSchema, LoginBodySchema, MeResponseSchema, RefreshBodySchema, RefreshResponseSchema, SignupBodySchema } from '../auth.js';
import { ClientConfigSchema } from '../config.js';
import { endpoint, NoContentSchema } from '../http-contract.js';

const authErrors = { 401: ApiErrorSchema, 409: ApiErrorSchema, 422: ApiErrorSchema, 429: ApiErrorSchema };

/** Local accounts' sign-up, sign-in and sessions (a Clerk server answers each with 409 auth_provider_mismatch). */
export const authEndpoints = {
  signup: endpoint({ method: 'POST', path: '/api/auth/signup', tags: ['auth'], body: SignupBodySchema, responses: { 201: AuthResponseSchema, ...authErrors } }),
  login: endpoint({ method: 'POST', path: '/api/auth/login', tags: ['auth'], body: LoginBodySchema, responses: { 200: AuthResponseSchema, ...authErrors } }),
  refresh: endpoint({
    method: 'POST',
    path: '/api/auth/refresh',
    tags: ['auth'],
    body: RefreshBodySchema,
    responses: { 200: RefreshResponseSchema, ...authErrors },
  }),
  logout: endpoint({ method: 'POST', path: '/api/auth/logout', tags: ['auth'], responses: { 204: NoContentSchema, 401: ApiErrorSchema } }),
};

/** What a client asks a server first, before anyone signs in: which sign-in and video providers it uses. */
export const serverEndpoints = {
  config: endpoint({ method: 'GET', path: '/api/config', tags: ['config'], responses: { 200: ClientConfigSchema } }),
  health: endpoint({
    method: 'GET',
    path: '/healthz',
    tags: ['health'],
    responses: { 200: z.object({ status: z.literal('ok') }), 503: z.object({ status: z.literal('unavailable') }) },
  }),
};

export const meEndpoints = {
  profile: endpoint({ method: 'GET', path: '/api/me', tags: ['me'], responses: { 200: MeResponseSchema, 401: ApiErrorSchema } }),
};
