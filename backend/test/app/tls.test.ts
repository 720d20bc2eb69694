import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, ServerProcess } from '../helpers/server-process.js';

const dir = await mkdtemp(path.join(tmpdir(), 'collaro-tls-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

let opensslMissing = '';
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  opensslMissing = 'openssl is not installed, so no test certificate can be made';
}

/** A self-signed certificate for 127.0.0.1, made for this run. */
function selfSigned(name: string) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
    ],
    { stdio: 'ignore' },
  );
  return { cert: file(`${name}.crt`), key: file(`${name}.key`) };
}

const bare = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, COLLARO_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'info' });

function httpsGet(url: string, ca: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function refusedToStart(env: Record<string, string | undefined>) {
  const server = new ServerProcess(env, await freePort());
  server.spawn();
  expect(await server.exited()).toBe(1);
  return server.output;
}

describe.skipIf(opensslMissing)(`built-in HTTPS (TLS_CERT_FILE, TLS_KEY_FILE)${opensslMissing ? `: skipped, ${opensslMissing}` : ''}`, () => {
  let pair: { cert: string; key: string };
  beforeAll(() => {
    pair = selfSigned('server');
  });

  it('serves the API over HTTPS and the realtime socket over WSS on PORT', { timeout: 90_000 }, async () => {
    const { readFile } = await import('node:fs/promises');
    const ca = await readFile(pair.cert);
    const server = new ServerProcess({ ...bare(), TLS_CERT_FILE: pair.cert, TLS_KEY_FILE: pair.key }, await freePort());
    server.spawn();
    try {
      const base = `https://127.0.0.1:${server.port}`;
      const deadline = Date.now() + 60_000;
      let health = { status: 0, body: '' };
      while (Date.now() < deadline) {
        health = await httpsGet(`${base}/healthz`, ca).catch(() => ({ status: 0, body: '' }));
        if (health.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health.status, server.output).toBe(200);
      expect(server.output).toContain(`Collaro is running at ${base}`);
      // Plain HTTP on the same port is not answered as if it were fine.
      const plain = await fetch(`http://127.0.0.1:${server.port}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);

      const socket = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, { ca });
      const answer = await new Promise<string>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', token: 'not-a-token' })));
        socket.once('message', (data) => resolve(`frame ${String(data)}`));
        socket.once('close', (code) => resolve(`closed ${code}`));
        socket.once('error', reject);
      });
      socket.close();
      // The socket upgraded over TLS and the gateway read its first frame: a bad token is refused.
      expect(answer).toMatch(/^(frame|closed 4\d\d\d)/);
    } finally {
      await server.kill('SIGTERM');
    }
  });

  it('refuses to start when a file is missing, unreadable or does not match, naming the variable', { timeout: 60_000 }, async () => {
    const other = selfSigned('other');
    await writeFile(file('garbage.pem'), 'this is not a certificate');
    expect(await refusedToStart({ ...bare(), TLS_CERT_FILE: file('absent.crt'), TLS_KEY_FILE: pair.key })).toContain(
      'Collaro cannot start: Invalid environment variable TLS_CERT_FILE: cannot read',
    );
    expect(await refusedToStart({ ...bare(), TLS_CERT_FILE: pair.cert, TLS_KEY_FILE: dir })).toContain(
      'Invalid environment variable TLS_KEY_FILE: cannot read',
    );
    expect(await refusedToStart({ ...bare(), TLS_CERT_FILE: file('garbage.pem'), TLS_KEY_FILE: pair.key })).toContain(
      'Invalid environment variable TLS_CERT_FILE',
    );
    expect(await refusedToStart({ ...bare(), TLS_CERT_FILE: pair.cert, TLS_KEY_FILE: other.key })).toContain(
      'Invalid environment variable TLS_KEY_FILE: ' + other.key + ' is not the key of the certificate in TLS_CERT_FILE',
    );
    expect(await refusedToStart({ ...bare(), TLS_CERT_FILE: pair.cert })).toContain('Invalid environment variable TLS_KEY_FILE');
  });
});
