/**
 * `npm start`: builds the web app and the server only when their sources changed since the last
 * build (see build-stamp.mjs), then runs the built server in this same process, so the path from
 * `npm start` to a listening server holds no compiler and no second Node start-up.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build-stamp.mjs';
import { BACKEND_DIR, buildServer } from './build-server.mjs';

const ROOT = path.resolve(BACKEND_DIR, '..');
/** Everything both builds read besides their own sources: dependency versions and workspace wiring. */
const SHARED_INPUTS = ['package-lock.json', 'package.json', 'shared/src', 'shared/package.json', 'tsconfig.base.json'];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** The browser build of the renderer (desktop/vite.web.config.ts), served at `/`. */
export const WEB_BUILD = {
  name: 'web app',
  root: ROOT,
  inputs: [...SHARED_INPUTS, 'desktop/src/renderer', 'desktop/vite.web.config.ts', 'desktop/package.json', 'desktop/tsconfig.web.json'],
  outDir: 'desktop/dist/web',
  requiredOutput: 'index.html',
  build: () => run('npm', ['run', 'build:web', '-w', '@collaro/desktop']),
};

/** The server bundle (build-server.mjs). */
export const SERVER_BUILD = {
  name: 'server',
  root: ROOT,
  inputs: [...SHARED_INPUTS, 'backend/src', 'backend/package.json', 'backend/scripts/build-server.mjs'],
  outDir: 'backend/dist',
  requiredOutput: 'server.js',
  build: async () => void (await buildServer()),
};

async function main() {
  for (const step of [WEB_BUILD, SERVER_BUILD]) {
    const started = Date.now();
    if ((await ensureBuilt(step)) === 'built') console.log(`Built the ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await import(pathToFileURL(path.join(ROOT, SERVER_BUILD.outDir, SERVER_BUILD.requiredOutput)).href);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((error) => {
    console.error('Collaro failed to start:', error);
    process.exit(1);
  });
}
