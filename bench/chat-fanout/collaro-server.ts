/**
 * Collaro's real app (buildApp, gateway, chat, in-memory PGlite) with `count` users seeded straight
 * into one organization, one team and its default channel (see seed.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../../backend/src/app.js';
import { generateSigningKey } from '../../backend/src/auth/local/signing-keys.js';
import { loadConfig } from '../../backend/src/config.js';
import { openDatabase } from '../../backend/src/db/client.js';
import { answerProfileRequests } from './cpu-profile.js';
import { answerMemoryProbes } from './memory-probe.js';
import { seedOneChannel } from './seed.js';

const count = Number(process.argv[2]);
const database = await openDatabase({ kind: 'memory' });
await database.migrate();
const signingKey = await generateSigningKey();
const { tokens, channelId } = await seedOneChannel(database.db, count, signingKey);

const dataDir = await mkdtemp(path.join(tmpdir(), 'collaro-bench-'));
const config = loadConfig({ COLLARO_DATA_DIR: dataDir, LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: '0' });
const app = await buildApp({ config, database, signingKey });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };
process.send!({ kind: 'ready', url: `ws://127.0.0.1:${port}/ws`, tokens, channelId });
answerMemoryProbes();
answerProfileRequests();
