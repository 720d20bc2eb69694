import { describe, expect, it } from 'vitest';
import { runSoak } from './soak-run.js';

const databaseServerUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!databaseServerUrl || !redisUrl)('soak across two instances with restarts (needs DATABASE_URL and REDIS_URL)', () => {
  it('keeps every acknowledged message exactly once while an instance is SIGKILLed and restarted twice', { timeout: 300_000 }, async () => {
    const figures = await runSoak({
      clients: 200,
      users: 40,
      teams: 10,
      durationMs: 30_000,
      restarts: 2,
      sendIntervalMs: 2000,
      databaseServerUrl: databaseServerUrl!,
      redisUrl: redisUrl!,
    });
    console.log('soak figures', figures);
    expect(figures.restarts).toBe(2);
    expect(figures.acknowledged).toBeGreaterThan(1000);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unexpected).toBe(0);
    expect(figures.rejected).toBe(0);
    // Everything sent was eventually acknowledged: the outboxes drained after the restarts.
    expect(figures.acknowledged).toBe(figures.sent);
    expect(figures.stored).toBe(figures.acknowledged);
    expect(figures.reconnected).toBe(figures.clients);
    // The instance that stayed up holds no more memory after the load than before it, give or take.
    expect(figures.survivorResidentEndMiB).toBeLessThan(figures.survivorResidentStartMiB * 1.5 + 20);
  });
});
