/**
 * Module resolution for the emulated main process: `electron` and `electron-updater` resolve to the
 * harness's emulation (shims written by the bootstrap); everything else resolves as usual.
 */
let shims = { electron: '', 'electron-updater': '' };

export function initialize(data) {
  shims = data;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron-updater') return { url: shims[specifier], shortCircuit: true };
  return nextResolve(specifier, context);
}
