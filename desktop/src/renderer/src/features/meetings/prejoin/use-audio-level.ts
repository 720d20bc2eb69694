import { useEffect, useState } from 'react';

/** The loudness (0..1) of a stream's microphone track, sampled every animation frame. */
export function useAudioLevel(stream: MediaStream | null, enabled: boolean): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const track = stream?.getAudioTracks()[0];
    if (!stream || !track || !enabled) {
      setLevel(0);
      return;
    }
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let smoothed = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around -30 dBFS; scale so that fills most of the meter, and let it fall slowly.
      const scaled = Math.min(1, rms * 6);
      smoothed = Math.max(scaled, smoothed * 0.85);
      setLevel(Math.round(smoothed * 100) / 100);
      frame = requestAnimationFrame(tick);
    };
    // Chromium starts an AudioContext suspended until a user gesture; the join click counts.
    void context.resume();
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close();
    };
  }, [stream, enabled]);
  return level;
}
