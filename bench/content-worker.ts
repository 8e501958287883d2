/**
 * A child process of the content benchmark (bench/content.ts), run as
 * `node --conditions=react-server --import tsx bench/content-worker.ts <mode>`:
 *   scheduler — one app instance's scheduler against DATABASE_URL and the emulator at EMU_URL, until SIGTERM;
 *   media     — sends one image reply 100 times through the media_id cache and prints the upload count.
 */
import { DEMO_CREDENTIALS } from '../lib/config';
import { saveMedia, withWecomMedia } from '../lib/content/media';
import { startScheduler } from '../lib/content/scheduler';
import { openDb } from '../lib/db/connect';
import { migrateToLatest } from '../lib/db/migrate';
import { createStore } from '../lib/store';
import { corpSecretCredentials, createWecomClient } from '../lib/wecom/client';

const mode = process.argv[2];
const emuUrl = process.env.EMU_URL!;
const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;
const store = createStore('memory:');
const client = createWecomClient({
  apiBase: emuUrl,
  corpId,
  agentId,
  credentials: corpSecretCredentials(corpId, agentSecret),
  store,
  log: () => {},
});

if (mode === 'scheduler') {
  const db = openDb(process.env.DATABASE_URL!);
  const running = startScheduler({ db, store, clientFor: async () => client }, 1000);
  setInterval(() => {}, 1 << 30);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void running
      .stop()
      .then(() => db.destroy())
      .then(() => process.exit(0));
  });
} else if (mode === 'media') {
  const db = openDb(process.env.DATABASE_URL!);
  await migrateToLatest(db);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(2048)]);
  const media = await saveMedia(
    corpId,
    'zhangwei',
    { filename: 'price.png', bytes: png },
    {
      db,
      dataDir: process.env.DATA_DIR!,
    },
  );
  const deps = { db, store, client, dataDir: process.env.DATA_DIR! };
  let sent = 0;
  // Each send asks for the corp's media_id, as a sidebar send or a scheduled message does.
  for (let i = 0; i < 100; i++) {
    await withWecomMedia(corpId, media.id, deps, async (mediaId) => {
      if (!mediaId) throw new Error('no media_id');
      sent++;
    });
  }
  await db.destroy();
  process.stdout.write(`${JSON.stringify({ sent })}\n`);
  process.exit(0);
}
