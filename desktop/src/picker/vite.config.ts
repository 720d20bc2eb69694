import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The screen-share picker, the sharing bar and the small call window: three tiny pages served from collaro-app://picker. */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, '../../out/picker'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        picker: resolve(import.meta.dirname, 'picker.html'),
        'sharing-bar': resolve(import.meta.dirname, 'sharing-bar.html'),
        'mini-call': resolve(import.meta.dirname, 'mini-call.html'),
      },
    },
  },
});
