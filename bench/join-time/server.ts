/**
 * The backend for bench/join-time, in its own process so the browser driver in the parent does
 * not share its event loop. Prints one JSON line: the origin and two signed-in users of one
 * organization. Runs until its stdin closes.
 */
import type { AddressInfo } from 'node:net';
import { createTestApp } from '../../backend/test/helpers/test-app.js';
import { createMeetingsWorld } from '../../backend/test/meetings/meetings-world.js';

const t = await createTestApp();
const w = await createMeetingsWorld(t.app);
await t.app.listen({ host: '127.0.0.1', port: 0 });
const origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
console.log(
  JSON.stringify({
    origin,
    orgId: w.orgId,
    host: { id: w.host.id, accessToken: w.host.accessToken },
    invitee: { id: w.invitee.id, accessToken: w.invitee.accessToken },
  }),
);
process.stdin.resume();
process.stdin.on('end', () => {
  void t.close().then(() => process.exit(0));
});
