/// <reference types="node" />
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

/**
 * Icons in the interface are drawn as SVG: emoji (and pictographs that fonts only have as emoji)
 * are empty boxes on machines without an emoji font. Reactions stay emoji: they are what people send.
 */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER = path.join(REPO_ROOT, 'desktop', 'src', 'renderer', 'src');
const PICTOGRAPH = /[\u{1F300}-\u{1FAFF}\u{2600}-\u{26FF}\u{2700}-\u{27BF}\u{2B00}-\u{2BFF}\u{25A0}-\u{25FF}\u{2190}-\u{21FF}]/u;
/** Where emoji are content, not icons: the reaction shortcut, and the keyboard-shortcut list naming the ↑ key. */
const CONTENT = [/QUICK_REACTION = /, /keys: '↑/, /● You are sharing/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : /\.tsx$/.test(name) ? [file] : [];
  });
}

describe('interface icons', () => {
  it('are SVG, not emoji or pictographs that need an emoji font', () => {
    const offenders = sources(RENDERER).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, where: `${path.relative(REPO_ROOT, file)}:${index + 1}` }))
        .filter(({ line }) => PICTOGRAPH.test(line) && !CONTENT.some((allowed) => allowed.test(line)) && !line.trim().startsWith('//')),
    );
    expect(offenders.map(({ where, line }) => `${where}: ${line.trim()}`)).toEqual([]);
  });
});
