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

/** Whether trying the same request again can succeed: a network failure, an overloaded or failing server. */
export function isWorthRetrying(error: unknown): boolean {
  if (!(error instanceof ApiRequestError)) return true;
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

/** Turns one part of the API's validation message (`body.email: Invalid email address`) into a sentence. */
function humanizeIssue(part: string): string {
  const match = /^(params|querystring|query|body|headers)(?:\.([\w.]+))?: (.*)$/s.exec(part.trim());
  if (!match) return part;
  const [, where, path = '', problem = ''] = match;
  // A malformed id in the address: the link was cut short or mistyped.
  if (where === 'params' || where === 'querystring' || where === 'query') return 'This address is not valid: the link may be incomplete or mistyped.';
  const field = (
    path
      .split('.')
      .filter((segment) => !/^\d+$/.test(segment))
      .pop() ?? ''
  )
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const label = field ? `${field.charAt(0).toUpperCase()}${field.slice(1)}` : 'This';
  const plain = plainProblem(problem);
  return plain ? `${label} ${plain}` : `${label}: ${problem.replace(/^./, (first) => first.toUpperCase())}`;
}

/** Zod's wording of the usual problems, as the end of a sentence about the field; null when not one of them. */
function plainProblem(problem: string): string | null {
  const tooShort = /Too small: expected string to have >=?(\d+) characters?/.exec(problem);
  if (tooShort) return tooShort[1] === '1' ? 'cannot be empty.' : `needs at least ${tooShort[1]} characters.`;
  const tooLong = /Too big: expected string to have <=?(\d+) characters?/.exec(problem);
  if (tooLong) return `is too long (at most ${tooLong[1]} characters).`;
  if (/^Invalid email/i.test(problem)) return 'is not a valid email address.';
  if (/^Invalid UUID/i.test(problem)) return 'is not valid.';
  if (/expected .*, received undefined/i.test(problem)) return 'is required.';
  const options = /Invalid option: expected one of (.*)$/.exec(problem);
  if (options) return `must be one of ${options[1]!.replaceAll('"', '').split('|').join(', ')}.`;
  return null;
}

/** The sentence a user reads for any error thrown by a request. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    if (error.code === 'validation_failed')
      return error.message
        .split(/; (?=\w+[.:])/)
        .map(humanizeIssue)
        .join(' ');
    if (error.status === 403) return `Not allowed: ${error.message}`;
    return error.message;
  }
  if (error instanceof TypeError) return 'Cannot reach the Collaro server. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
