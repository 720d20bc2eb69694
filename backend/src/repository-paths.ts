import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root, found from where this code runs: the server runs both from its sources
 * (backend/src/…) and as one built file (backend/dist/server.js), so a fixed `../..` would be
 * right for only one of them. The root is the nearest folder above holding `migrations/`.
 */
function findRepositoryRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'migrations', 'meta'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No migrations/ folder above ${start}: the server is not inside a Collaro checkout`);
  }
}

export const REPOSITORY_ROOT = findRepositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The SQL migrations applied at start-up. */
export const MIGRATIONS_DIR = path.join(REPOSITORY_ROOT, 'migrations');

/** Where `npm run build:web` writes the browser build of the renderer. */
export const DEFAULT_WEB_UI_DIR = path.join(REPOSITORY_ROOT, 'desktop', 'dist', 'web');
