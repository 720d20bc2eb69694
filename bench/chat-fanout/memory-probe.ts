/** Answers the bench runner's memory questions over IPC, after a full garbage collection. */
export function answerMemoryProbes() {
  process.on('message', (message: unknown) => {
    if (message !== 'memory') return;
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    collect?.();
    const usage = process.memoryUsage();
    process.send!({ kind: 'memory', rss: usage.rss, heap: usage.heapUsed + usage.external, heapTotal: usage.heapTotal });
  });
}
