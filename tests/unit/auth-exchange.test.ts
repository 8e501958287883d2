import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '@/emulator';
import { emulatorControl, type EmulatorControl } from '@/emulator/control-client';
import { DEMO_CREDENTIALS } from '@/lib/config';
import { createStore } from '@/lib/store';
import { corpSecretCredentials, createWecomClient, type WecomClient } from '@/lib/wecom/client';
import { WecomError } from '@/lib/wecom/errors';
import { buildAuthorizeUrl, exchangeCode, loadMemberProfile } from '@/lib/wecom/oauth';

const APP = 'http://app.test:3000';
const { corpId, agentId, agentSecret } = DEMO_CREDENTIALS;

function clientFor(apiBase: string): WecomClient {
  return createWecomClient({
    apiBase,
    corpId,
    agentId,
    credentials: corpSecretCredentials(corpId, agentSecret),
    store: createStore('memory:'),
    log: () => {},
  });
}

describe('code exchange against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let client: WecomClient;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, trustedDomains: ['app.test:3000'] });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emulatorControl(emu.url).reset();
    // A fresh token cache per test: the reset revoked the emulator's tokens.
    client = clientFor(emu.url);
  });

  /** Follows the emulator's authorize page like the WeCom client would and returns the code it sends back. */
  async function codeFor(scope: 'snsapi_base' | 'snsapi_privateinfo'): Promise<string> {
    const url = new URL(
      buildAuthorizeUrl({
        oauthBase: emu.url,
        corpId,
        agentId,
        redirectUri: `${APP}/api/auth/callback`,
        state: 'teststate',
        scope,
      }),
    );
    if (scope === 'snsapi_privateinfo') url.searchParams.set('consent', 'allow');
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${APP}/api/auth/callback`);
    expect(back.searchParams.get('state')).toBe('teststate');
    return back.searchParams.get('code')!;
  }

  it('turns a silent (snsapi_base) code into the member, without a ticket, and loads the name', async () => {
    const identity = await exchangeCode(client, await codeFor('snsapi_base'));
    expect(identity).toEqual({ kind: 'member', userId: 'zhangwei', userTicket: undefined });
    if (identity.kind !== 'member') throw new Error('unreachable');
    expect(await loadMemberProfile(client, identity)).toEqual({ name: '张伟' });
  });

  it('after consent also gets a user_ticket and the avatar from auth/getuserdetail', async () => {
    const identity = await exchangeCode(client, await codeFor('snsapi_privateinfo'));
    if (identity.kind !== 'member') throw new Error('expected a member');
    expect(identity.userTicket).toBeTruthy();
    const profile = await loadMemberProfile(client, identity);
    expect(profile.name).toBe('张伟');
    expect(profile.avatar).toMatch(/\/wecom-emulator\/avatars\/.+\.svg$/);
    const counters = await emulatorControl(emu.url).counters();
    expect(counters['auth/getuserdetail']).toBe(1);
  });

  it('refuses a code the second time with 40029, exchanged exactly once upstream', async () => {
    const code = await codeFor('snsapi_base');
    await exchangeCode(client, code);
    const err = await exchangeCode(client, code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomError);
    expect((err as WecomError).errcode).toBe(40029);
    expect((err as WecomError).message).not.toContain(code);
    const counters = await emulatorControl(emu.url).counters();
    expect(counters['auth/getuserinfo']).toBe(2);
  });

  it('does not retry a failing exchange (a retry would spend the code again)', async () => {
    await emulatorControl(emu.url).fault({ api: 'auth/getuserinfo', errcode: -1, times: 1 });
    const err = await exchangeCode(client, await codeFor('snsapi_base')).catch((e: unknown) => e);
    expect((err as WecomError).errcode).toBe(-1);
    const counters = await emulatorControl(emu.url).counters();
    expect(counters['auth/getuserinfo']).toBe(1);
  });

  it('keeps signing in when the profile cannot be read', async () => {
    await emulatorControl(emu.url).fault({ api: 'user/get', httpStatus: 502, times: 3 });
    const profile = await loadMemberProfile(client, {
      userId: 'zhangwei',
      userTicket: 'expired-or-invalid-ticket',
    });
    expect(profile).toEqual({});
  });

  it('refuses a member outside the visible range (60011 / 60111) so the page can say who widens it', async () => {
    const range = (body: Parameters<EmulatorControl['setVisibleRange']>[0]) =>
      emulatorControl(emu.url).setVisibleRange(body);
    await range({ party: [3] });
    const err = await loadMemberProfile(client, { userId: 'zhangwei' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomError);
    expect((err as WecomError).errcode).toBe(60011);
    await range({ memberErrcode: 60111 });
    expect(
      ((await loadMemberProfile(client, { userId: 'zhangwei' }).catch((e: unknown) => e)) as WecomError)
        .errcode,
    ).toBe(60111);
    await range({ reset: true });
    expect(await loadMemberProfile(client, { userId: 'zhangwei' })).toEqual({ name: '张伟' });
  });
});

describe('a visitor from outside the corp', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    // WeCom answers a non-member's code with an openid only; the emulator's corp has no such visitor.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/gettoken') {
        res.end(
          JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'visitor-test-token', expires_in: 7200 }),
        );
      } else if (url.pathname === '/cgi-bin/auth/getuserinfo') {
        res.end(
          JSON.stringify({ errcode: 0, errmsg: 'ok', openid: 'oVisitor123', external_userid: 'wmVisitor' }),
        );
      } else {
        res.end(JSON.stringify({ errcode: 40058, errmsg: 'invalid param' }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is identified as a non-member (no userid), so no session is created', async () => {
    const identity = await exchangeCode(clientFor(base), 'visitor-code');
    expect(identity).toEqual({ kind: 'non-member', openId: 'oVisitor123', externalUserId: 'wmVisitor' });
  });
});
