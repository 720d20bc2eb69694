import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { rendererAliases } from './renderer-aliases.js';

const here = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      // Main bundles what it imports; only the `dependencies` of desktop/package.json stay outside
      // (electron-updater), and those are all electron-builder puts in the app's node_modules.
      externalizeDeps: true,
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
          'mini-call': resolve(here, 'src/picker/mini-call-preload.ts'),
        },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(here, 'src/renderer'),
    plugins: [react()],
    resolve: { alias: rendererAliases },
    // electron-vite forces `base: './'`, so index.html would load `./assets/...` relative to the page:
    // a reload at collaro-app://app/chat/<id> would ask for /chat/assets/... and show a blank window.
    // The page's own references are made absolute; chunks keep loading relative to the script.
    experimental: {
      renderBuiltUrl: (filename, { hostType }) => (hostType === 'html' ? `/${filename}` : { relative: true }),
    },
    build: {
      target: 'es2022',
      rollupOptions: { input: { index: resolve(here, 'src/renderer/index.html') } },
    },
  },
});
