import { ApiErrorSchema } from '@collaro/shared';

/**
 * The error answers every signed-in resource route can give, for its schema and the OpenAPI
 * description: no valid token (401), no permission (403), not in the caller's organizations (404),
 * a conflict (409), a malformed request (422), and the database or server being unavailable (503).
 */
export const resourceErrorResponses = {
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  409: ApiErrorSchema,
  422: ApiErrorSchema,
  503: ApiErrorSchema,
};
