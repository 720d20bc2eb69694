/**
 * Collaro's real app on an embedded (on-disk PGlite) database in `dataDir`, as `npm start` runs it.
 * The first start seeds `count` users into one channel (see ../chat-fanout/seed.ts) and reports
 * their tokens; a restart on the same data dir and port serves them again. Stops on the runner's 'stop'.
 */
import { buildApp } from '../../backend/src/app.js';
import { loadOrCreateSigningKey } from '../../backend/src/auth/local/signing-keys.js';
import { loadConfig } from '../../backend/src/config.js';
import { openDatabase } from '../../backend/src/db/client.js';
import { answerProfileRequests } from '../chat-fanout/cpu-profile.js';
import { seedOneChannel } from '../chat-fanout/seed.js';

const [count, dataDir, port, seed] = [Number(process.argv[2]), process.argv[3]!, Number(process.argv[4]), process.argv[5] === 'seed'];
const database = await openDatabase({ kind: 'embedded', dataDir });
await database.migrate();
const signingKey = await loadOrCreateSigningKey(dataDir);
const seeded = seed ? await seedOneChannel(database.db, count, signingKey) : undefined;

const config = loadConfig({ COLLARO_DATA_DIR: dataDir, LOG_LEVEL: 'error', HOST: '127.0.0.1', PORT: String(port) });
const app = await buildApp({ config, database, signingKey });
await app.listen({ host: '127.0.0.1', port });
process.send!({ kind: 'ready', port: (app.server.address() as { port: number }).port, ...seeded });
answerProfileRequests();
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await app.close();
  await database.close();
  process.exit(0);
});
