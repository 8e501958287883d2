import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator';
import { WELL_KNOWN } from '@/emulator/seed';
import { openPush } from '@/emulator/suite';
import { CORP_A_INFO, SUITE } from '@/emulator/suite/seed';

// A third-party app receives the corp's customer changes on its instruction URL (InfoType + AuthCorpId), once the
// corp installed it; a self-built app's format never reaches that URL.

let emu: RunningEmulator;
let receiver: Server;
let receiverUrl = '';
const received: string[] = [];

const field = (xml: string, name: string) =>
  new RegExp(`<${name}><!\\[CDATA\\[([^\\]]*)\\]\\]></${name}>`).exec(xml)?.[1] ?? '';

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(path, emu.url), { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const opened = openPush(
        new URL(req.url ?? '/', 'http://x').searchParams,
        Buffer.concat(chunks).toString(),
      );
      if (opened) received.push(opened.message);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emu = await startEmulator({ port: 0 });
});

afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

it('pushes change_external_contact to the instruction URL of an installed suite', async () => {
  await post('/wecom-emulator/suite/config', { callbackUrl: `${receiverUrl}/suite/callback` });
  await post('/wecom-emulator/suite/push-ticket', {});
  const ticket = field(
    received.find((m) => field(m, 'InfoType') === 'suite_ticket')!,
    'SuiteTicket',
  );
  const token = (await post('/cgi-bin/service/get_suite_token', {
    suite_id: SUITE.suiteId,
    suite_secret: SUITE.suiteSecret,
    suite_ticket: ticket,
  })) as { suite_access_token: string };
  // Not installed yet: nothing is pushed for this corp.
  received.length = 0;
  await post('/wecom-emulator/crm/member-edits-remark', {
    externalUserId: WELL_KNOWN.linXiaomei,
    userId: 'zhangwei',
    remark: '林总',
  });
  expect(received.filter((m) => field(m, 'InfoType').startsWith('change_external'))).toEqual([]);

  await post('/wecom-emulator/suite/install', { corpId: CORP_A_INFO.corpId, state: 'test' });
  const authCode = field(
    received.find((m) => field(m, 'InfoType') === 'create_auth')!,
    'AuthCode',
  );
  const perm = await post(
    `/cgi-bin/service/get_permanent_code?suite_access_token=${encodeURIComponent(token.suite_access_token)}`,
    { auth_code: authCode },
  );
  expect(perm.permanent_code).toBeTruthy();

  received.length = 0;
  await post('/wecom-emulator/crm/customer-deletes-member', {
    externalUserId: WELL_KNOWN.linXiaomei,
    userId: 'lina',
  });
  const [event] = received;
  expect(field(event!, 'SuiteId')).toBe(SUITE.suiteId);
  expect(field(event!, 'AuthCorpId')).toBe(CORP_A_INFO.corpId);
  expect(field(event!, 'InfoType')).toBe('change_external_contact');
  expect(field(event!, 'ChangeType')).toBe('del_follow_user');
  expect(field(event!, 'UserID')).toBe('lina');
  expect(event).toMatch(/<TimeStamp>\d+<\/TimeStamp>/);
  expect(event).not.toContain('<ToUserName>');
});
