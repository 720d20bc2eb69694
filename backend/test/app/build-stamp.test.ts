import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build-stamp.mjs';
import { SERVER_BUILD, WEB_BUILD } from '../../scripts/start.mjs';

/** A stand-in project: two source files, and a build that writes its output and counts its runs. */
let root: string;
let builds: number;
const step = () => ({
  name: 'stand-in',
  root,
  inputs: ['src', 'config.json'],
  outDir: 'dist',
  requiredOutput: 'index.html',
  build: async () => {
    builds += 1;
    await mkdir(path.join(root, 'dist'), { recursive: true });
    await writeFile(path.join(root, 'dist', 'index.html'), `<p>build ${builds}</p>`);
  },
});

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'collaro-stamp-'));
  builds = 0;
  await mkdir(path.join(root, 'src', 'screens'), { recursive: true });
  await writeFile(path.join(root, 'src', 'screens', 'home.tsx'), 'export const Home = 1;');
  await writeFile(path.join(root, 'config.json'), '{}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('npm start rebuilds only what changed', () => {
  it('builds once, then starts without rebuilding while the sources are the same', async () => {
    expect(await ensureBuilt(step())).toBe('built');
    expect(await ensureBuilt(step())).toBe('current');
    expect(builds).toBe(1);
  });

  it('does not rebuild for a file touched (or checked out again) with the same content', async () => {
    await ensureBuilt(step());
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'src', 'screens', 'home.tsx'), later, later);
    expect(await ensureBuilt(step())).toBe('current');
    expect(builds).toBe(1);
  });

  it('rebuilds after a source file is edited, added or removed, or a config input changes', async () => {
    await ensureBuilt(step());
    await writeFile(path.join(root, 'src', 'screens', 'home.tsx'), 'export const Home = 2;');
    expect(await ensureBuilt(step())).toBe('built');
    await writeFile(path.join(root, 'src', 'screens', 'chat.tsx'), 'export const Chat = 1;');
    expect(await ensureBuilt(step())).toBe('built');
    await rm(path.join(root, 'src', 'screens', 'chat.tsx'));
    expect(await ensureBuilt(step())).toBe('built');
    await writeFile(path.join(root, 'config.json'), '{"base":"/"}');
    expect(await ensureBuilt(step())).toBe('built');
    expect(builds).toBe(5);
  });

  it('rebuilds when the output is gone, whatever the stamp says', async () => {
    await ensureBuilt(step());
    await rm(path.join(root, 'dist', 'index.html'));
    expect(await ensureBuilt(step())).toBe('built');
    expect(builds).toBe(2);
  });

  it('watches the UI sources and the shared schemas for the web app, and the server sources for the server', () => {
    expect(WEB_BUILD.inputs).toEqual(expect.arrayContaining(['desktop/src/renderer', 'shared/src', 'desktop/vite.web.config.ts', 'package-lock.json']));
    expect(SERVER_BUILD.inputs).toEqual(expect.arrayContaining(['backend/src', 'shared/src', 'package-lock.json']));
  });
});
