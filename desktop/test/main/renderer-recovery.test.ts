import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, RendererRecoveryService } from '../../src/main/renderer-recovery.js';

function contents() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    reloads: 0,
    destroyed: false,
    reload() {
      this.reloads += 1;
    },
    isDestroyed() {
      return this.destroyed;
    },
  });
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('renderer recovery', () => {
  it('reloads a crashed window at once, asks after repeated crashes, and forgets crashes older than a minute', async () => {
    let now = 0;
    const asked: number[] = [];
    const recovery = new RendererRecoveryService({
      askToReload: async () => (asked.push(now), true),
      quit: () => undefined,
      log: () => undefined,
      now: () => now,
    });
    const window = contents();
    recovery.watch(window);
    for (const reason of ['crashed', 'oom']) window.emit('render-process-gone', {}, { reason });
    await settle();
    expect(window.reloads).toBe(2);
    expect(asked).toEqual([]);

    now += CRASH_WINDOW_MS + 1;
    window.emit('render-process-gone', {}, { reason: 'killed' });
    await settle();
    expect(window.reloads).toBe(3);
    expect(asked).toEqual([]);

    window.emit('render-process-gone', {}, { reason: 'crashed' });
    window.emit('render-process-gone', {}, { reason: 'crashed' });
    await settle();
    expect(asked).toHaveLength(1);
    expect(window.reloads).toBe(5);
  });

  it('quits when the user chooses to, and leaves a clean exit alone', async () => {
    let quit = 0;
    const recovery = new RendererRecoveryService({ askToReload: async () => false, quit: () => (quit += 1), log: () => undefined, now: () => 0 });
    const window = contents();
    recovery.watch(window);
    window.emit('render-process-gone', {}, { reason: 'clean-exit' });
    for (let crash = 0; crash < 3; crash += 1) window.emit('render-process-gone', {}, { reason: 'crashed' });
    await settle();
    expect(window.reloads).toBe(2);
    expect(quit).toBe(1);
  });
});
