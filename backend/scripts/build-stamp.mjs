/**
 * Decides whether a build's output is still current: a SHA-256 over the relative path and content
 * of every input file, kept beside the output as `.build-stamp`. Contents, not modification times,
 * so a checkout or a `touch` that changes nothing costs no rebuild, and any real edit always does.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const STAMP_FILE = '.build-stamp';
/** Never inputs: installed packages and build outputs found inside input folders. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', '.git']);

async function listFiles(absolute) {
  const entries = await readdir(absolute, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOTDIR') return null;
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries === null) return [absolute];
  const nested = await Promise.all(
    entries.filter((entry) => !(entry.isDirectory() && SKIPPED_DIRS.has(entry.name))).map((entry) => listFiles(path.join(absolute, entry.name))),
  );
  return nested.flat();
}

/** The digest of `inputs` (files or folders, relative to `root`). */
export async function fingerprint(root, inputs) {
  const files = (await Promise.all(inputs.map((input) => listFiles(path.join(root, input))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * A build: its inputs and output folder relative to `root`, the file whose absence means "never
 * built", and the function that builds.
 * @typedef {{ name: string, root: string, inputs: string[], outDir: string, requiredOutput: string, build: () => Promise<void> }} BuildStep
 */

/** 'current' when the output exists and was built from these exact inputs; 'stale' otherwise. */
export async function buildState(step) {
  const outDir = path.join(step.root, step.outDir);
  if (!existsSync(path.join(outDir, step.requiredOutput))) return { state: 'stale', digest: await fingerprint(step.root, step.inputs) };
  const [digest, stamp] = await Promise.all([fingerprint(step.root, step.inputs), readFile(path.join(outDir, STAMP_FILE), 'utf8').catch(() => '')]);
  return { state: stamp.trim() === digest ? 'current' : 'stale', digest };
}

/** Builds `step` unless its output is current; returns 'built' or 'current'. */
export async function ensureBuilt(step) {
  const { state, digest } = await buildState(step);
  if (state === 'current') return 'current';
  await step.build();
  // Stamped with the digest taken before building: an edit made during the build is seen next time.
  await writeFile(path.join(step.root, step.outDir, STAMP_FILE), `${digest}\n`);
  return 'built';
}
