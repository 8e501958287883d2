import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { emulatorControl } from '@/emulator/control-client';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { saveMedia, sendableMediaId, WECOM_MEDIA_TTL_MS, type WecomMediaDeps } from '@/lib/content/media';
import { publicCoverUrl, verifyCoverSignature } from '@/lib/content/media-public';
import { createStore } from '@/lib/store';
import { corpSecretCredentials, createWecomClient } from '@/lib/wecom/client';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

// The media_id the sidebar sends with (POST /api/media/{id}/wecom-media-id): against the emulator, real databases.

const START = Date.UTC(2026, 5, 1, 1, 0, 0);
let clock = START;
const now = () => clock;
let emu: RunningEmulator;
const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now });
});
afterAll(() => emu.close());

describe.each(await databaseKinds())('sendable media ids on %s', (kind) => {
  let t: TestDatabase;
  let deps: WecomMediaDeps;
  const uploads = async () => (await emulatorControl(emu.url).counters())['media/upload'] ?? 0;

  beforeEach(async () => {
    clock = START;
    await emulatorControl(emu.url).reset();
    t = await createTestDatabase(kind);
    const store = createStore('memory:');
    deps = {
      db: t.db,
      store,
      now,
      dataDir: mkdtempSync(path.join(tmpdir(), 'media-send-')),
      client: createWecomClient({
        apiBase: emu.url,
        corpId,
        agentId,
        credentials: corpSecretCredentials(corpId, agentSecret),
        store,
        now,
        sleep: async () => {},
        log: () => {},
      }),
    };
  });
  afterEach(() => t.drop());

  it('uploads once for concurrent senders, keeps the id for its life, and uploads again for a refused one', async () => {
    const media = await saveMedia(corpId, 'zhangwei', { filename: '报价.png', bytes: PNG }, deps);
    const [a, b] = await Promise.all([
      sendableMediaId(corpId, media.id, deps),
      sendableMediaId(corpId, media.id, deps),
    ]);
    expect(a).toEqual(b);
    expect(a.expiresAt).toBeGreaterThan(START + 2 * 86400_000);
    expect(a.expiresAt).toBeLessThan(START + WECOM_MEDIA_TTL_MS);
    expect(await uploads()).toBe(1);

    clock += 2 * 86400_000;
    expect((await sendableMediaId(corpId, media.id, deps)).mediaId).toBe(a.mediaId);
    expect(await uploads()).toBe(1);

    // The client said `invalid mediaid`: one more upload, a new id; a second refusal of the old id changes nothing.
    const fresh = await sendableMediaId(corpId, media.id, deps, a.mediaId);
    expect(fresh.mediaId).not.toBe(a.mediaId);
    expect(await sendableMediaId(corpId, media.id, deps, a.mediaId)).toEqual(fresh);
    expect(await uploads()).toBe(2);
  });

  it('refuses media of another corp', async () => {
    const media = await saveMedia(corpId, 'zhangwei', { filename: 'a.png', bytes: PNG }, deps);
    await expect(sendableMediaId('wwother0000000000', media.id, deps)).rejects.toMatchObject({ status: 404 });
    expect(await uploads()).toBe(0);
  });
});

describe('public cover URLs', () => {
  const secret = 'a-session-secret-of-at-least-32-characters';
  it('are signed for one corp and one media record', () => {
    const url = new URL(
      publicCoverUrl({ baseUrl: 'https://app.example.com', secret, corpId, id: 'abcdef0123' }),
    );
    expect(url.pathname).toBe('/api/media/abcdef0123/cover');
    expect(url.searchParams.get('corp')).toBe(corpId);
    const sig = url.searchParams.get('sig')!;
    expect(verifyCoverSignature(secret, corpId, 'abcdef0123', sig)).toBe(true);
    expect(verifyCoverSignature(secret, corpId, 'abcdef0124', sig)).toBe(false);
    expect(verifyCoverSignature(secret, 'wwother', 'abcdef0123', sig)).toBe(false);
    expect(verifyCoverSignature(`${secret}x`, corpId, 'abcdef0123', sig)).toBe(false);
    expect(verifyCoverSignature(secret, corpId, 'abcdef0123', 'short')).toBe(false);
  });
});
