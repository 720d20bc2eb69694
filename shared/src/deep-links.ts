/**
 * The one grammar for links that open Collaro. Accepted, and nothing else:
 *   collaro://meeting/<meeting id>
 *   collaro://join?url=<this server's join link>       (join link: <server origin>/m/<meeting id>)
 * and the join link itself when pasted or clicked. Anything else is refused with a reason.
 */
export const DEEP_LINK_SCHEME = 'collaro';
export const MAX_DEEP_LINK_LENGTH = 2048;

export type DeepLink = { kind: 'meeting'; meetingId: string };

export type DeepLinkResult = { ok: true; link: DeepLink } | { ok: false; error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function meetingDeepLink(meetingId: string): string {
  return `${DEEP_LINK_SCHEME}://meeting/${meetingId}`;
}

export function meetingJoinUrl(serverOrigin: string, meetingId: string): string {
  return `${serverOrigin.replace(/\/+$/, '')}/m/${meetingId}`;
}

const fail = (error: string): DeepLinkResult => ({ ok: false, error });

/** Parses a `collaro://` link. `serverOrigin` is the origin of the server this app talks to. */
export function parseDeepLink(input: string, serverOrigin: string): DeepLinkResult {
  if (typeof input !== 'string' || input.length === 0) return fail('The link is empty');
  if (input.length > MAX_DEEP_LINK_LENGTH) return fail('The link is too long');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('The link is not a valid URL');
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return fail(`Only ${DEEP_LINK_SCHEME}:// links open Collaro`);
  if (url.username || url.password || url.port) return fail('The link has unexpected parts');
  if (url.hash) return fail('The link has unexpected parts');

  if (url.hostname === 'meeting') {
    if (url.search) return fail('A meeting link takes no query');
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length !== 1 || !UUID.test(segments[0]!)) return fail('The meeting link does not name a valid meeting');
    return { ok: true, link: { kind: 'meeting', meetingId: segments[0]!.toLowerCase() } };
  }
  if (url.hostname === 'join') {
    if (url.pathname !== '' && url.pathname !== '/') return fail('A join link takes only a url parameter');
    const keys = [...url.searchParams.keys()];
    if (keys.length !== 1 || keys[0] !== 'url') return fail('A join link takes exactly one url parameter');
    return parseJoinUrl(url.searchParams.get('url') ?? '', serverOrigin);
  }
  return fail(`Unknown link "${url.hostname}"`);
}

/** Parses a meeting join link (`<server origin>/m/<id>`), accepting only the configured server. */
export function parseJoinUrl(input: string, serverOrigin: string): DeepLinkResult {
  if (input.length > MAX_DEEP_LINK_LENGTH) return fail('The link is too long');
  let url: URL;
  let server: URL;
  try {
    url = new URL(input);
    server = new URL(serverOrigin);
  } catch {
    return fail('The join link is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('The join link must be an https link');
  if (url.protocol === 'http:' && server.protocol !== 'http:') return fail('The join link must be an https link');
  if (url.origin !== server.origin) return fail(`The link points to another server (${url.host}), not ${server.host}`);
  if (url.username || url.password || url.hash || url.search) return fail('The join link has unexpected parts');
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length !== 2 || segments[0] !== 'm' || !UUID.test(segments[1]!)) {
    return fail('The join link does not name a valid meeting');
  }
  return { ok: true, link: { kind: 'meeting', meetingId: segments[1]!.toLowerCase() } };
}

/** Accepts whatever a user pastes into "Join meeting": a collaro:// link or this server's join link. */
export function parseMeetingLink(input: string, serverOrigin: string): DeepLinkResult {
  const trimmed = input.trim();
  return trimmed.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`) ? parseDeepLink(trimmed, serverOrigin) : parseJoinUrl(trimmed, serverOrigin);
}
