/**
 * bench/memory: resident memory of the embedded server at idle (started on a database that holds
 * data, signed in to and read from, then left alone), split into what holds it: PostgreSQL's
 * WebAssembly heap (PGlite), the JavaScript heap, buffers outside it, mapped code and files, and
 * the rest (compiled code, the allocator). The built server against its TypeScript sources through
 * tsx and a bare Node http server, each measured in this run.
 * Usage: npx tsx bench/memory/run.ts [idle seconds]   (default 5)
 */
import { readFile, rm } from 'node:fs/promises';
import { median, seededDataDir, startServer, type Variant } from '../startup/server-runs.js';

const idleSeconds = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MiB = 1024 * 1024;

interface Breakdown {
  rss: number;
  /** Resident pages of the WebAssembly memory reservation: PGlite's PostgreSQL heap. */
  wasmHeap: number;
  /** Resident pages mapped from files: the node binary, shared libraries, native addons. */
  fileMapped: number;
  jsHeap: number;
  /** Buffers and ArrayBuffers outside the JavaScript heap (not the WebAssembly memory). */
  buffers: number;
}

/**
 * Splits resident memory by mapping. A WebAssembly memory is one anonymous reservation of GiBs,
 * which the kernel lists as adjacent mappings once part of it is in use (the used part readable
 * and writable, the rest inaccessible): adjacent unnamed mappings are added up into one region.
 */
async function residentByMapping(pid: number) {
  const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
  const regions: { size: number; resident: number }[] = [];
  let fileMapped = 0;
  let previousEnd = -1;
  let anonymous = false;
  let fromFile = false;
  for (const line of smaps.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (header) {
      const start = Number.parseInt(header[1]!, 16);
      const end = Number.parseInt(header[2]!, 16);
      // Inode 0 with no name: anonymous memory (not [heap], [stack] or a file).
      anonymous = header[3] === '0' && header[4]!.trim() === '';
      fromFile = header[4]!.startsWith('/');
      if (anonymous) {
        const region = regions.at(-1);
        if (region && start === previousEnd) region.size += end - start;
        else regions.push({ size: end - start, resident: 0 });
      }
      previousEnd = anonymous ? end : -1;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const bytes = Number(rss[1]) * 1024;
    if (anonymous) regions.at(-1)!.resident += bytes;
    else if (fromFile) fileMapped += bytes;
  }
  const wasmHeap = regions.filter((region) => region.size >= 4 * 1024 * MiB).reduce((sum, region) => sum + region.resident, 0);
  return { wasmHeap, fileMapped };
}

async function measure(variant: Variant, dataDir: string): Promise<Breakdown> {
  const server = await startServer(variant, dataDir, { probe: true });
  try {
    if (variant !== 'bare node http') {
      const signIn = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@bench.test', password: 'benchmark password' }),
      });
      const { accessToken } = (await signIn.json()) as { accessToken: string };
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } }).then(
        (response) => response.json() as Promise<{ organizations: { id: string }[] }>,
      );
      const orgId = me.organizations[0]!.id;
      const { channels } = (await fetch(`${server.url}/api/orgs/${orgId}/channels`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) =>
        r.json(),
      )) as { channels: { id: string }[] };
      await fetch(`${server.url}/api/channels/${channels[0]!.id}/messages`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) => r.text());
    }
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const answer = new Promise<any>((resolve) => server.child.once('message', resolve));
    server.child.send('memory');
    const usage = await answer;
    const { wasmHeap, fileMapped } = await residentByMapping(server.child.pid!);
    return { rss: usage.rss, wasmHeap, fileMapped, jsHeap: usage.heapTotal, buffers: usage.arrayBuffers };
  } finally {
    await server.stop();
  }
}

const dataDir = await seededDataDir();
const variants: Variant[] = ['bare node http', 'tsx backend/src/server.ts', 'node backend/dist/server.js'];
const samples = new Map(variants.map((variant) => [variant, [] as Breakdown[]]));
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const variant of variants) samples.get(variant)!.push(await measure(variant, dataDir));
  }
  const result = new Map<Variant, Breakdown>();
  const mib = (bytes: number) => (bytes / MiB).toFixed(0).padStart(5);
  console.log(`${('MiB, median of ' + ROUNDS).padEnd(30)}   rss  pglite  js heap  buffers  files  other`);
  for (const variant of variants) {
    const runs = samples.get(variant)!;
    const pick = (key: keyof Breakdown) => median(runs.map((run) => run[key]));
    const row: Breakdown = { rss: pick('rss'), wasmHeap: pick('wasmHeap'), fileMapped: pick('fileMapped'), jsHeap: pick('jsHeap'), buffers: pick('buffers') };
    result.set(variant, row);
    // "other": compiled code, the allocator's and V8's own structures, thread stacks.
    const other = row.rss - row.wasmHeap - row.fileMapped - row.jsHeap - row.buffers;
    console.log(
      `${variant.padEnd(30)} ${mib(row.rss)}  ${mib(row.wasmHeap)}    ${mib(row.jsHeap)}    ${mib(row.buffers)}  ${mib(row.fileMapped)}  ${mib(Math.max(0, other))}`,
    );
  }
  const rss = (variant: Variant) => result.get(variant)!.rss;
  console.log('');
  console.log(`built / tsx sources:     ${(rss('node backend/dist/server.js') / rss('tsx backend/src/server.ts')).toFixed(2)}x resident`);
  console.log(`built / bare node http:  ${(rss('node backend/dist/server.js') / rss('bare node http')).toFixed(2)}x resident`);
  console.log(`built server at idle:    ${(rss('node backend/dist/server.js') / MiB).toFixed(0)} MiB (target <= 250 MiB)`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
