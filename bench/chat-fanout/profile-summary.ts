/**
 * The functions a .cpuprofile spent most self time in, and busy time by where it was spent: each
 * sample goes to the innermost package (node_modules) or source file of the project on its stack.
 * `dispatch` with no file is the in-process inspector that took the profile (bench/chat-fanout/cpu-profile.ts).
 * Usage: npx tsx bench/chat-fanout/profile-summary.ts file.cpuprofile [top=25]
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  parent?: number;
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts file.cpuprofile [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

const where = (node: ProfileNode) => {
  const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '~/');
  const short = url.replace(/.*\/(backend|shared|bench)\//, '$1/');
  return `${node.callFrame.functionName || '(anonymous)'} ${short ? `${short}:${node.callFrame.lineNumber + 1}` : ''}`.trim();
};
const totals = new Map<string, number>();
let all = 0;
let idle = 0;
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  all += micros;
  if (node.callFrame.functionName === '(idle)') idle += micros;
  const key = where(node);
  totals.set(key, (totals.get(key) ?? 0) + micros);
}
const busy = all - idle;
console.log(`${(all / 1e6).toFixed(2)} s profiled, ${(busy / 1e6).toFixed(2)} s busy (${((100 * busy) / all).toFixed(1)} %)`);
console.log('self time, share of busy time:');
for (const [key, micros] of [...totals]
  .filter(([key]) => !key.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

/** The package or project file a frame belongs to; undefined for Node's own code. */
function owner(url: string): string | undefined {
  if (url.startsWith('wasm://')) return 'PGlite (WebAssembly)';
  const inPackage = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  const inProject = /\/(backend|shared|bench)\/(src\/)?(.*?)\.ts/.exec(url);
  return inProject ? `${inProject[1]}/${inProject[3]}` : undefined;
}
for (const node of profile.nodes) for (const child of node.children ?? []) byId.get(child)!.parent = node.id;
const byOwner = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const name = node.callFrame.functionName;
  if (name === '(idle)') continue;
  let key = name === '(garbage collector)' || name === '(program)' ? name : undefined;
  if (!key && name === 'dispatch' && !node.callFrame.url) key = '(the profiling inspector)';
  for (let at: ProfileNode | undefined = node; !key && at; at = at.parent === undefined ? undefined : byId.get(at.parent)) key = owner(at.callFrame.url);
  key ??= `Node (${name || 'anonymous'})`;
  byOwner.set(key, (byOwner.get(key) ?? 0) + micros);
}
console.log('busy time by package or project file:');
for (const [key, micros] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}
