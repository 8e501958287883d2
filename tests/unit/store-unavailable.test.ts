import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore, guardStore, StoreUnavailableError } from '@/lib/store';
import { errorResponse } from '@/lib/http';

describe('a store that fails', () => {
  it('surfaces as a bilingual 503, not a stack trace', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'store-down-')), 'wecom.db');
    const driver = createStore(`sqlite:${file}`);
    await driver.close(); // the connection is gone: every operation now fails
    const store = guardStore(driver);

    const err = await store.get('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);

    const res = errorResponse(err, new Request('http://x/', { headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string; messageZh: string } };
    expect(body.error.code).toBe('store_unavailable');
    expect(body.error.message).toMatch(/data store/);
    expect(body.error.messageZh).toMatch(/数据存储/);
    expect(JSON.stringify(body)).not.toMatch(/sqlite|database|\.db/i);
  });
});
