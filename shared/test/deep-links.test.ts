import { describe, expect, it } from 'vitest';
import { meetingDeepLink, meetingJoinUrl, parseDeepLink, parseMeetingLink } from '../src/deep-links.js';

const server = 'https://collaro.example.com';
const id = '3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b';

describe('deep-link grammar', () => {
  it('opens a meeting from collaro://meeting/<id>', () => {
    expect(parseDeepLink(meetingDeepLink(id), server)).toEqual({ ok: true, link: { kind: 'meeting', meetingId: id } });
  });

  it('opens a meeting from collaro://join with this server’s join link', () => {
    const link = `collaro://join?url=${encodeURIComponent(meetingJoinUrl(server, id))}`;
    expect(parseDeepLink(link, server)).toEqual({ ok: true, link: { kind: 'meeting', meetingId: id } });
  });

  it('accepts a pasted https join link and a pasted collaro link', () => {
    expect(parseMeetingLink(`  ${server}/m/${id} `, server).ok).toBe(true);
    expect(parseMeetingLink(`collaro://meeting/${id}`, server).ok).toBe(true);
  });

  it.each([
    ['another scheme', `https://meeting/${id}`, 'Only collaro://'],
    ['an unknown route', `collaro://settings/${id}`, 'Unknown link'],
    ['a malformed id', 'collaro://meeting/not-an-id', 'valid meeting'],
    ['extra path segments', `collaro://meeting/${id}/extra`, 'valid meeting'],
    ['a query on a meeting link', `collaro://meeting/${id}?x=1`, 'no query'],
    ['credentials', `collaro://user:pw@meeting/${id}`, 'unexpected parts'],
    ['another server', `collaro://join?url=${encodeURIComponent(`https://evil.example/m/${id}`)}`, 'another server'],
    ['plain http to an https server', `collaro://join?url=${encodeURIComponent(`http://collaro.example.com/m/${id}`)}`, 'https'],
    ['a join link with extra parameters', `collaro://join?url=${encodeURIComponent(`${server}/m/${id}`)}&then=x`, 'exactly one'],
    ['a javascript url', `collaro://join?url=${encodeURIComponent('javascript:alert(1)')}`, 'https'],
    ['an oversized link', `collaro://meeting/${'a'.repeat(3000)}`, 'too long'],
    ['garbage', '::::', 'not a valid URL'],
  ])('refuses %s with a reason', (_name, link, reason) => {
    const result = parseDeepLink(link, server);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('accepts http join links only when the server itself is plain http (the local default)', () => {
    const local = 'http://127.0.0.1:4000';
    expect(parseMeetingLink(`${local}/m/${id}`, local).ok).toBe(true);
  });
});
