import type { CollaroSharingBarBridge } from '@collaro/shared';

declare global {
  interface Window {
    readonly collaroSharingBar: CollaroSharingBarBridge;
  }
}

const stop = document.getElementById('stop');
if (stop instanceof HTMLButtonElement) {
  stop.addEventListener('click', () => {
    stop.disabled = true;
    stop.textContent = 'Stopping…';
    void window.collaroSharingBar.stop();
  });
}
