import type { CollaroMiniCallBridge, MiniCallView } from '@collaro/shared';

declare global {
  interface Window {
    readonly collaroMiniCall: CollaroMiniCallBridge;
  }
}

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`mini-call.html lacks #${id}`);
  return found;
}

const frame = element('frame', HTMLImageElement);
const initials = element('initials', HTMLSpanElement);
const name = element('name', HTMLSpanElement);
const speakerMuted = element('speaker-muted', HTMLSpanElement);
const mute = element('mute', HTMLButtonElement);

function initialsOf(fullName: string): string {
  return fullName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

function render(view: MiniCallView): void {
  const speaker = view.speaker;
  name.textContent = speaker?.name ?? 'Waiting for others';
  speakerMuted.hidden = !speaker?.muted;
  if (speaker?.frame) {
    frame.src = speaker.frame;
    frame.alt = `${speaker.name}’s camera`;
    frame.hidden = false;
    initials.hidden = true;
  } else {
    frame.hidden = true;
    frame.removeAttribute('src');
    initials.textContent = speaker ? initialsOf(speaker.name) : '';
    initials.hidden = false;
  }
  mute.textContent = view.muted ? 'Unmute' : 'Mute';
  mute.setAttribute('aria-pressed', String(view.muted));
}

window.collaroMiniCall.onView(render);
mute.addEventListener('click', () => void window.collaroMiniCall.command('toggle-mute'));
element('show', HTMLButtonElement).addEventListener('click', () => void window.collaroMiniCall.command('show'));
element('speaker', HTMLButtonElement).addEventListener('click', () => void window.collaroMiniCall.command('show'));
element('leave', HTMLButtonElement).addEventListener('click', () => void window.collaroMiniCall.command('leave'));
