/**
 * Builds the server into one JavaScript file (backend/dist/server.js), so `npm start` runs it with
 * plain Node: no TypeScript compiler or loader in the running server, and no per-file module
 * resolution at start-up. Workspace packages (@collaro/shared, TypeScript sources) are bundled in;
 * everything installed from npm stays a normal import from node_modules, loaded as published.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BACKEND_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Packages loaded from node_modules at run time: the backend's and shared's npm dependencies. */
function npmDependencies() {
  const names = new Set();
  for (const manifest of ['package.json', '../shared/package.json']) {
    const { dependencies = {} } = JSON.parse(readFileSync(path.join(BACKEND_DIR, manifest), 'utf8'));
    for (const name of Object.keys(dependencies)) if (!name.startsWith('@collaro/')) names.add(name);
  }
  return [...names];
}

/** Builds `entry` (backend/src/server.ts by default) into `outfile`; resolves when written. */
export async function buildServer({ outfile = path.join(BACKEND_DIR, 'dist', 'server.js'), entry = path.join(BACKEND_DIR, 'src', 'server.ts') } = {}) {
  // Loaded here, not at the top: `npm start` only pays for esbuild when the server needs a build.
  const esbuild = await import('esbuild');
  const external = npmDependencies().flatMap((name) => [name, `${name}/*`]);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external,
    sourcemap: 'linked',
    // Error stacks in the log name the real function, not a minified one.
    keepNames: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await buildServer();
  console.log(`Built ${path.relative(process.cwd(), outfile)}`);
}
