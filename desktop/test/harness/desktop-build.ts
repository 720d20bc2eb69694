import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DESKTOP = fileURLToPath(new URL('../../', import.meta.url));
const REPOSITORY = path.resolve(DESKTOP, '..');
export const MAIN_BUNDLE = path.join(DESKTOP, 'out', 'main', 'index.js');
// Beside, not inside, out/: the build empties its output directories.
const STATE = path.join(REPOSITORY, 'node_modules', '.cache', 'collaro-desktop-harness');
const STAMP = path.join(STATE, 'build-stamp');
const LOCK = path.join(STATE, 'build-lock');
const SOURCES = [
  path.join(DESKTOP, 'src'),
  path.join(REPOSITORY, 'shared', 'src'),
  path.join(DESKTOP, 'electron.vite.config.ts'),
  path.join(DESKTOP, 'package.json'),
];

function newestChange(entry: string): number {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, child)));
  return newest;
}

function isFresh(): boolean {
  if (!existsSync(MAIN_BUNDLE)) return false;
  if (process.env['COLLARO_DESKTOP_PREBUILT'] === '1') return true;
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.every((source) => newestChange(source) < built);
}

/**
 * The harness runs the bundle that ships (`desktop/out`), built by `npm run build -w @collaro/desktop`.
 * It is rebuilt when a source is newer than the last build, once per run however many test files ask:
 * the first takes a lock and builds, the others wait for it. CI builds before the suite
 * (COLLARO_DESKTOP_PREBUILT=1), so no test file builds there.
 */
export async function ensureDesktopBuild(): Promise<void> {
  if (isFresh()) return;
  mkdirSync(STATE, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than the longest build is left over from a crash.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 240_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build desktop/out');
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (isFresh()) return;
    }
  }
  try {
    if (isFresh()) return;
    const started = Date.now();
    execFileSync('npm', ['run', 'build', '-w', '@collaro/desktop'], {
      cwd: REPOSITORY,
      stdio: ['ignore', 'ignore', 'inherit'],
      // Vitest sets NODE_ENV=test, which would make vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    execFileSync('touch', ['-d', `@${Math.floor(started / 1000)}`, STAMP]);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
