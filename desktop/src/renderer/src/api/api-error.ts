import { ApiErrorSchema } from '@collaro/shared';

/** A failed request, carrying what the server said so screens can show it as is. */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }
}

export async function errorFromResponse(response: Response): Promise<ApiRequestError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Proxies and crashed servers answer with HTML or nothing; the status line is all there is.
  }
  const parsed = ApiErrorSchema.safeParse(body);
  if (parsed.success) return new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
  return new ApiRequestError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`.trim());
}

/** The sentence a user reads for any error thrown by a request. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 403) return `Not allowed: ${error.message}`;
    return error.message;
  }
  if (error instanceof TypeError) return 'Cannot reach the Collaro server. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
