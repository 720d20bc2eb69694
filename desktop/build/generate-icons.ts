import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderIconPng } from '../src/main/icon-renderer.js';

/**
 * Writes the installer icons electron-builder reads from desktop/build: icon.png (macOS and Windows
 * icons are derived from it) and the Linux size set under icons/.
 */
export const LINUX_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512] as const;

export function writeIcons(directory: string): string[] {
  const written: string[] = [];
  mkdirSync(path.join(directory, 'icons'), { recursive: true });
  const main = path.join(directory, 'icon.png');
  writeFileSync(main, renderIconPng(1024));
  written.push(main);
  for (const size of LINUX_ICON_SIZES) {
    const file = path.join(directory, 'icons', `${size}x${size}.png`);
    writeFileSync(file, renderIconPng(size));
    written.push(file);
  }
  return written;
}

const invokedDirectly = process.argv[1]?.endsWith('collaro-generate-icons.mjs') ?? false;
if (invokedDirectly) {
  const written = writeIcons(path.resolve(process.cwd(), 'build'));
  console.log(`Wrote ${written.length} icons to ${path.resolve(process.cwd(), 'build')}`);
}
