import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp({ env: { MAX_EVENT_LOOP_DELAY_MS: '200' } });
});
afterAll(() => testApp.close());

function blockEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // A stand-in for a process wedged by work it cannot keep up with.
  }
}

describe('load shedding', () => {
  it('answers 503 with a retry hint while the event loop lags, and serves again once it recovers', { timeout: 30_000 }, async () => {
    expect((await testApp.app.inject({ method: 'GET', url: '/api/config' })).statusCode).toBe(200);
    blockEventLoop(1500);
    let shed = await testApp.app.inject({ method: 'GET', url: '/api/config' });
    for (const deadline = Date.now() + 5000; shed.statusCode !== 503 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      shed = await testApp.app.inject({ method: 'GET', url: '/api/config' });
    }
    expect(shed.statusCode).toBe(503);
    expect(shed.json().error.code).toBe('service_unavailable');
    expect(Number(shed.headers['retry-after'])).toBeGreaterThan(0);
    await expect.poll(async () => (await testApp.app.inject({ method: 'GET', url: '/api/config' })).statusCode, { timeout: 10_000, interval: 200 }).toBe(200);
  });
});
