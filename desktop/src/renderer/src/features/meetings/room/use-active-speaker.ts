import { useEffect, useState } from 'react';
import type { CallParticipant } from './call-session.js';

/** Loudness (RMS of the waveform) above which someone counts as speaking; the fake tone and real speech pass it. */
const SPEAKING_RMS = 0.02;
const SAMPLE_MS = 250;
/**
 * Samples in each reading: about 340 ms at 48 kHz, longer than the interval between readings, so a
 * short word (or the fake microphone's beep) between two readings is never missed.
 */
const WINDOW_SAMPLES = 16_384;

/**
 * Who is talking among the others in the call, for the speaker layout and the tiles' outline. The
 * last speaker stays featured through pauses until someone else talks.
 */
export function useActiveSpeaker(participants: CallParticipant[]): string | null {
  const [speaker, setSpeaker] = useState<string | null>(null);
  const audible = participants.filter((participant) => participant.audio && !participant.audioMuted);
  const key = audible.map((participant) => `${participant.id}:${participant.audio?.id ?? ''}`).join(',');

  useEffect(() => {
    if (audible.length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const meters = audible.flatMap((participant) => {
      const track = participant.audio?.getAudioTracks()[0];
      if (!track) return [];
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const analyser = context.createAnalyser();
      analyser.fftSize = WINDOW_SAMPLES;
      source.connect(analyser);
      return [{ id: participant.id, analyser, samples: new Float32Array(analyser.fftSize) }];
    });
    void context.resume();
    const timer = setInterval(() => {
      let loudest: { id: string; rms: number } | null = null;
      for (const meter of meters) {
        meter.analyser.getFloatTimeDomainData(meter.samples);
        let sum = 0;
        for (const sample of meter.samples) sum += sample * sample;
        const rms = Math.sqrt(sum / meter.samples.length);
        if (rms > SPEAKING_RMS && (!loudest || rms > loudest.rms)) loudest = { id: meter.id, rms };
      }
      if (loudest) setSpeaker(loudest.id);
    }, SAMPLE_MS);
    return () => {
      clearInterval(timer);
      void context.close();
    };
    // `key` names exactly the streams measured; `audible` is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return speaker !== null && participants.some((participant) => participant.id === speaker) ? speaker : null;
}
