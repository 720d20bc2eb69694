import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const here = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      // The shared package ships TypeScript sources: bundle it rather than require it at run time.
      externalizeDeps: { exclude: ['@collaro/shared'] },
      rollupOptions: { input: { index: resolve(here, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require anything but electron: each one is a single CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: {
          index: resolve(here, 'src/preload/index.ts'),
          picker: resolve(here, 'src/picker/picker-preload.ts'),
          'sharing-bar': resolve(here, 'src/picker/sharing-bar-preload.ts'),
        },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(here, 'src/renderer'),
    base: '/',
    plugins: [react()],
    build: {
      target: 'es2022',
      rollupOptions: { input: { index: resolve(here, 'src/renderer/index.html') } },
    },
  },
});
