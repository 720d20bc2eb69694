import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadSheddingOptions {
  /** Shed while the event loop's mean delay over the last sample exceeds this; 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  retryAfterSeconds: number;
}

const SAMPLE_INTERVAL_MS = 1000;
const RESOLUTION_MS = 10;

/**
 * Sheds load with a clear 503 while the process is wedged, instead of answering everyone late. The
 * decision is made once a second from the event-loop delay histogram, so a request pays one boolean
 * test (the general-purpose plugin looked up the route's options and five thresholds per request).
 */
export const loadSheddingPlugin = fp(async function loadSheddingPlugin(app: FastifyInstance, options: LoadSheddingOptions) {
  if (options.maxEventLoopDelayMs <= 0) return;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let overloaded = false;
  const sample = setInterval(() => {
    // The histogram's mean includes its own sampling resolution; NaN means it saw no tick at all.
    const delayMs = Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS);
    overloaded = Number.isNaN(delayMs) || delayMs > options.maxEventLoopDelayMs;
    histogram.reset();
  }, SAMPLE_INTERVAL_MS);
  sample.unref();
  app.addHook('onClose', async () => {
    clearInterval(sample);
    histogram.disable();
  });
  const retryAfter = String(options.retryAfterSeconds);
  app.addHook('onRequest', (_request, reply, done) => {
    if (!overloaded) return done();
    reply
      .code(503)
      .header('retry-after', retryAfter)
      .send({ error: { code: 'service_unavailable', message: 'The server is overloaded; try again shortly' } });
  });
});
