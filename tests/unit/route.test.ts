import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, publicError } from '@/lib/http';
import { redirect, route } from '@/lib/route';
import { StoreUnavailableError } from '@/lib/store';
import { WecomError } from '@/lib/wecom/errors';

type ErrorBody = { error: { code: string; message: string; messageZh: string; messageEn: string } };

const call = (
  handler: ReturnType<typeof route>,
  url: string,
  init: RequestInit & { params?: Record<string, string> } = {},
) => handler(new Request(`http://app.test${url}`, init), { params: Promise.resolve(init.params ?? {}) });

const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

describe('route()', () => {
  const echo = route(
    {
      auth: 'none',
      params: z.object({ id: z.string().regex(/^w[mo]\w{4}$/, '客户 ID 格式不正确 / Malformed id') }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
    },
    ({ params, query }) => ({ id: params.id, limit: query.limit }),
  );

  it('answers the handler’s value as JSON that no cache keeps', async () => {
    const res = await call(echo, '/x?limit=5', { params: { id: 'wmAbcd' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ id: 'wmAbcd', limit: 5 });
  });

  it('names the invalid field in a bilingual 400, using the schema’s own message when it has one', async () => {
    const bad = await call(echo, '/x', { params: { id: 'nope' } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({
      code: 'invalid_params',
      messageZh: '路径参数 id 不正确：客户 ID 格式不正确',
      messageEn: 'Invalid path parameter id: Malformed id',
    });

    const res = await call(echo, '/x?limit=500', {
      params: { id: 'wmAbcd' },
      headers: { 'accept-language': 'en-US' },
    });
    const e = await errorOf(res);
    expect(res.status).toBe(400);
    expect(e.code).toBe('invalid_query');
    expect(e.messageZh).toMatch(/^查询参数 limit 不正确：数值过大/);
    expect(e.messageEn).toMatch(/^Invalid query parameter limit: Too big/);
    expect(e.message).toBe(e.messageEn);
  });

  describe('a JSON body', () => {
    const create = route(
      { auth: 'none', body: z.object({ title: z.string().min(1) }), status: 201 },
      ({ body }) => ({ item: body }),
    );
    const post = (body: string, type = 'application/json') =>
      call(create, '/x', { method: 'POST', body, headers: { 'content-type': type } });

    it('is parsed and validated', async () => {
      const res = await post(JSON.stringify({ title: 'hi', extra: 1 }));
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ item: { title: 'hi' } });
      expect(await errorOf(await post('{}'))).toMatchObject({ code: 'invalid_body' });
    });

    it('must be JSON', async () => {
      expect((await post('title=hi', 'application/x-www-form-urlencoded')).status).toBe(415);
      const res = await post('{not json');
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid_json');
    });
  });

  it('answers 204 for nothing and passes a Response through', async () => {
    const none = await call(
      route({ auth: 'none' }, () => undefined),
      '/x',
    );
    expect(none.status).toBe(204);
    expect(none.headers.get('cache-control')).toBe('no-store');
    const moved = await call(
      route({ auth: 'none' }, () => redirect('/elsewhere', 303)),
      '/x',
    );
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe('/elsewhere');
    const raw = await call(
      route({ auth: 'none' }, () => new Response('success', { headers: { 'content-type': 'text/plain' } })),
      '/x',
    );
    expect(await raw.text()).toBe('success');
  });

  it('refuses cross-site requests when same-origin is required', async () => {
    const change = route({ auth: 'none', sameOrigin: true }, () => ({ ok: true }));
    const post = (headers: Record<string, string>) => call(change, '/x', { method: 'POST', headers });
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: 'http://app.test', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });

  it('maps every failure in one place and renders it as asked', async () => {
    const failing = (err: unknown) => route({ auth: 'none' }, () => Promise.reject(err));
    const store = await call(failing(new StoreUnavailableError('redis down')), '/x');
    expect(store.status).toBe(503);
    expect((await errorOf(store)).code).toBe('store_unavailable');

    const wecom = await call(
      failing(new WecomError({ api: 'externalcontact/get', errcode: 48002, errmsg: 'api forbidden' })),
      '/x',
    );
    expect(wecom.status).toBe(502);
    expect((await errorOf(wecom)).code).toBe('wecom_48002');

    const crash = await call(failing(new Error('secret token abc in a stack')), '/x');
    expect(crash.status).toBe(500);
    expect(JSON.stringify(await crash.json())).not.toContain('secret');

    const page = route(
      { auth: 'none', errors: (err) => new Response(`<p>${err.code}</p>`, { status: err.status }) },
      () => {
        throw new HttpError(409, 'busy', { zh: '忙', en: 'Busy' });
      },
    );
    const res = await call(page, '/x');
    expect(res.status).toBe(409);
    expect(await res.text()).toBe('<p>busy</p>');
  });

  it('maps a ZodError thrown by lib code to a 400 naming the field', () => {
    const parsed = z.object({ n: z.number() }).safeParse({ n: 'x' });
    const err = publicError(parsed.error);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_input');
    expect(err.userMessage.en).toMatch(/^Invalid input field n: /);
    expect(err.userMessage.zh).toMatch(/^输入字段 n 不正确：/);
  });
});
