import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { meetingDeepLink } from '@collaro/shared';
import { z } from 'zod';

/** Reads the app link from the page itself, so the script (and its CSP hash) never changes. */
const OPEN_APP_SCRIPT = "window.location.href = document.getElementById('open-app').getAttribute('href');";
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2328}' +
  'a.button{display:inline-block;margin:.5rem .5rem 0 0;padding:.6rem 1rem;border-radius:6px;text-decoration:none;border:1px solid #1f6feb}' +
  'a.primary{background:#1f6feb;color:#fff}a.secondary{color:#1f6feb}';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CSP = [
  "default-src 'none'",
  `script-src ${sha256(OPEN_APP_SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ParamsSchema = z.object({ id: z.string() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function page(title: string, body: string, script: boolean) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
${script ? `<script>${OPEN_APP_SCRIPT}</script>` : ''}
</body>
</html>
`;
}

/**
 * The https link in calendar invites. Public and says nothing about the meeting (not even whether
 * it exists): it hands over to the desktop app, or to the web client, which signs in and checks access.
 */
export const joinPageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/:id', { schema: { hide: true, params: ParamsSchema } }, async (request, reply) => {
    reply.header('content-security-policy', CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const { id } = request.params;
    if (!UUID.test(id)) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(page('Meeting link not valid · Collaro', '<h1>This meeting link is not valid</h1><p>Check the link in your invitation.</p>', false));
    }
    const meetingId = id.toLowerCase();
    const body = `<h1>Joining your Collaro meeting</h1>
<p>Opening the Collaro app. If nothing happens, open it yourself or continue in this browser.</p>
<p><a id="open-app" class="button primary" href="${meetingDeepLink(meetingId)}">Open the Collaro app</a>
<a id="open-browser" class="button secondary" href="/meetings/${meetingId}">Continue in the browser</a></p>`;
    return reply.type('text/html; charset=utf-8').send(page('Join meeting · Collaro', body, true));
  });
};
