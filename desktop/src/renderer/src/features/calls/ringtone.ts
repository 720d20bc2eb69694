/**
 * The ringtone, synthesized (two short tones, then a pause, repeated) so no sound file ships.
 * Browsers keep audio silent until the page has had a click or key press: the audio context is
 * made on the first one, and a ring that starts before it begins as soon as it comes.
 */
let context: AudioContext | null = null;
const waiting = new Set<() => void>();

function unlock() {
  if (typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  void context.resume().then(
    () => {
      for (const start of [...waiting]) start();
    },
    () => undefined,
  );
}

if (typeof window !== 'undefined') {
  for (const event of ['pointerdown', 'keydown'] as const) window.addEventListener(event, unlock, { capture: true, passive: true });
}

const PATTERN_MS = 3_000;

function beep(audio: AudioContext, at: number, frequency: number) {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(0.15, at + 0.02);
  gain.gain.setValueAtTime(0.15, at + 0.35);
  gain.gain.linearRampToValueAtTime(0, at + 0.4);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(at);
  oscillator.stop(at + 0.45);
}

/**
 * Rings until the returned function is called. `onAudible` says whether it can be heard: false
 * until the page has had a click or key press, then true once the ringing starts.
 */
export function startRingtone(onAudible: (audible: boolean) => void): () => void {
  let timer: ReturnType<typeof setInterval> | null = null;
  const start = () => {
    const audio = context;
    if (timer || !audio || audio.state !== 'running') return;
    waiting.delete(start);
    const ring = () => {
      const now = audio.currentTime;
      beep(audio, now, 440);
      beep(audio, now + 0.5, 480);
    };
    ring();
    timer = setInterval(ring, PATTERN_MS);
    onAudible(true);
  };
  start();
  if (!timer) {
    waiting.add(start);
    onAudible(false);
  }
  return () => {
    waiting.delete(start);
    if (timer) clearInterval(timer);
  };
}
