// Preloaded into a measured server (node --import): answers the bench's memory question over IPC
// after full garbage collections, so only what the server keeps is counted.
import v8 from 'node:v8';

process.on('message', (message) => {
  if (message !== 'memory') return;
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  process.send({
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    codeAndMetadata: heap.total_heap_size - heap.used_heap_size,
  });
});
// The IPC channel must not be what keeps the server alive, nor block its exit.
process.channel?.unref();
