/**
 * Profiles one phase of a bench server from the runner: `profile:start` starts V8's sampling
 * profiler in this process, `profile:stop <file>` writes the profile (Chrome's .cpuprofile format,
 * which `bench/chat-fanout/profile-summary.ts` and DevTools read) and answers `profiled`.
 * Unlike `--cpu-prof`, this leaves start-up and seeding out of the profile.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

export function answerProfileRequests() {
  let session: Session | null = null;
  process.on('message', async (message: unknown) => {
    if (message === 'profile:start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
      process.send!({ kind: 'profiling' });
    } else if (typeof message === 'string' && message.startsWith('profile:stop ') && session) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(message.slice('profile:stop '.length), JSON.stringify(profile));
      session.disconnect();
      session = null;
      process.send!({ kind: 'profiled' });
    }
  });
}
