/**
 * bench/startup: server start to the first healthy /healthz on an embedded database that holds
 * data, for the built server and for `npm start`'s own script (both build stamps current, so no
 * rebuild), against the TypeScript sources through tsx (how `npm start` ran the server before) and
 * a bare Node http server (Node's own floor), in interleaved rounds (medians).
 * Wall time follows the machine's load; CPU time (user + system until healthy) much less so.
 * Usage: npx tsx bench/startup/run.ts [rounds]   (default 5)
 */
import { rm } from 'node:fs/promises';
import { ensureBuilt } from '../../backend/scripts/build-stamp.mjs';
import { WEB_BUILD } from '../../backend/scripts/start.mjs';
import { median, seededDataDir, startServer, VARIANTS, type Variant } from './server-runs.js';

const rounds = Number(process.argv[2] ?? 5);
// `npm start` would build the web app first if it were stale: measured runs must not include that.
await ensureBuilt(WEB_BUILD);
const dataDir = await seededDataDir();
const variants = Object.keys(VARIANTS) as Variant[];
const samples = new Map(variants.map((variant) => [variant, [] as { wallMs: number; cpuMs: number }[]]));
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of variants) {
      const server = await startServer(variant, dataDir);
      samples.get(variant)!.push({ wallMs: server.wallMs, cpuMs: server.cpuMs });
      await server.stop();
    }
  }
  const result = new Map<Variant, { wallMs: number; cpuMs: number }>();
  for (const variant of variants) {
    const runs = samples.get(variant)!;
    result.set(variant, { wallMs: median(runs.map((run) => run.wallMs)), cpuMs: median(runs.map((run) => run.cpuMs)) });
    const { wallMs, cpuMs } = result.get(variant)!;
    console.log(`${variant.padEnd(32)} ${wallMs.toFixed(0).padStart(6)} ms to healthy   ${cpuMs.toFixed(0).padStart(6)} ms CPU   (median of ${rounds})`);
  }
  const of = (variant: Variant) => result.get(variant)!;
  const ratio = (a: Variant, b: Variant, key: 'wallMs' | 'cpuMs') => (of(a)[key] / of(b)[key]).toFixed(2);
  console.log('');
  console.log(
    `built / tsx sources:        ${ratio('node backend/dist/server.js', 'tsx backend/src/server.ts', 'wallMs')}x wall, ${ratio('node backend/dist/server.js', 'tsx backend/src/server.ts', 'cpuMs')}x CPU`,
  );
  console.log(
    `npm start / tsx sources:    ${ratio('node backend/scripts/start.mjs', 'tsx backend/src/server.ts', 'wallMs')}x wall, ${ratio('node backend/scripts/start.mjs', 'tsx backend/src/server.ts', 'cpuMs')}x CPU`,
  );
  console.log(
    `built / bare node http:     ${ratio('node backend/dist/server.js', 'bare node http', 'wallMs')}x wall, ${ratio('node backend/dist/server.js', 'bare node http', 'cpuMs')}x CPU`,
  );
  console.log(`npm start to healthy: ${(of('node backend/scripts/start.mjs').wallMs / 1000).toFixed(2)} s (target <= 1.5 s on a quiet machine)`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
