import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type FrameLocator, type Page } from '@playwright/test';
import {
  WELL_KNOWN,
  addFault,
  bridgeMessages,
  clearFaults,
  counter,
  emulator,
  loginInClient,
  resetEmulator,
  setClient,
} from './helpers';

// Sending the content library from the sidebar through the emulated client: every kind, media by WeCom media_id,
// multi-part replies, variables, kinds an old client cannot send, and the chat attachment bar.

const LIN = WELL_KNOWN.linXiaomei;
const PNG = readFileSync(path.join(process.cwd(), 'public/share-cover.png'));
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]),
  Buffer.alloc(64, 1),
]);
const PDF = Buffer.from('%PDF-1.4\n% price list for the e2e test\n');
const MINI_APPID = 'wx8bd80126147df384';

/** Titles of what this file creates; all of it goes again after each test. */
const created: string[] = [];

async function upload(request: APIRequestContext, name: string, bytes: Buffer, mimeType: string) {
  const res = await request.post('/api/admin/media', {
    multipart: { file: { name, mimeType, buffer: bytes } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function reply(request: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const res = await request.post('/api/admin/quick-replies', { data: { scope: { type: 'all' }, ...body } });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { item: { id: string } }).item.id;
  created.push(id);
  return id;
}

async function openSimulator(page: Page): Promise<FrameLocator> {
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto('/simulator');
  const frame = page.frameLocator('[data-testid="sidebar-frame"]');
  await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');
  await frame.getByRole('tab', { name: '快捷回复' }).click();
  await expect(frame.getByTestId('quick-replies')).toBeVisible();
  return frame;
}

const item = (frame: FrameLocator, title: string) =>
  frame.getByTestId('quick-reply').filter({ hasText: title });

test.beforeEach(async ({ page, request }) => {
  await resetEmulator(request);
  await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
  await loginInClient(page, '/workbench');
});

test.afterEach(async ({ page, request }) => {
  await clearFaults(request);
  for (const id of created.splice(0)) await page.request.delete(`/api/admin/quick-replies/${id}`);
});

test('every kind sent from the sidebar reaches the chat; an image sent twice is uploaded once', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const image = await upload(page.request, '报价单.png', PNG, 'image/png');
  const video = await upload(page.request, '产品演示.mp4', MP4, 'video/mp4');
  const file = await upload(page.request, '价目表.pdf', PDF, 'application/pdf');
  await reply(page.request, { kind: 'text', title: '发送测试·文本', text: '欢迎了解星河企业版' });
  await reply(page.request, {
    kind: 'news',
    title: '发送测试·链接',
    news: { link: 'https://example.com/price', title: '企业版报价', desc: '2026 新版' },
  });
  await reply(page.request, { kind: 'image', title: '发送测试·图片', mediaId: image });
  await reply(page.request, { kind: 'video', title: '发送测试·视频', mediaId: video });
  await reply(page.request, { kind: 'file', title: '发送测试·文件', mediaId: file });
  await reply(page.request, {
    kind: 'miniprogram',
    title: '发送测试·小程序',
    miniprogram: {
      appid: MINI_APPID,
      page: '/pages/book/index.html',
      title: '预约试驾',
      coverMediaId: image,
    },
  });

  const frame = await openSimulator(page);
  await expect(item(frame, '发送测试·图片').getByTestId('image-thumb')).toBeVisible();
  const uploadsBefore = await counter(request, 'media/upload');

  for (const title of ['文本', '链接', '图片', '视频', '文件', '小程序', '图片']) {
    await item(frame, `发送测试·${title}`).click();
    await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
    await expect(frame.getByTestId('toast')).toHaveCount(0, { timeout: 5000 });
  }
  await expect(frame.getByTestId('send-error')).toHaveCount(0);

  const sent = await bridgeMessages(request);
  expect(sent.map((m) => m.msgtype)).toEqual([
    'text',
    'news',
    'image',
    'video',
    'file',
    'miniprogram',
    'image',
  ]);
  for (const m of sent) expect(m.target).toEqual({ externalUserId: LIN });
  expect(sent[1]!.news).toMatchObject({
    title: '企业版报价',
    imgUrl: expect.stringMatching(/\/share-cover\.png$/),
  });
  expect(sent[2]!.image).toMatchObject({ filename: '报价单.png' });
  expect(sent[3]!.video).toMatchObject({ filename: '产品演示.mp4' });
  expect(sent[4]!.file).toMatchObject({ filename: '价目表.pdf' });
  expect(sent[5]!.miniprogram).toMatchObject({
    appid: MINI_APPID,
    title: '预约试驾',
    page: '/pages/book/index.html',
    imgUrl: expect.stringMatching(new RegExp(`/api/media/${image}/cover\\?corp=.+&sig=.+$`)),
  });
  // WeCom fetches the cover without a session: the signed URL serves it, anything else is a 404.
  const cover = new URL((sent[5]!.miniprogram as { imgUrl: string }).imgUrl);
  const plain = await request.get(`${cover.pathname}${cover.search}`);
  expect(plain.status()).toBe(200);
  expect(plain.headers()['content-type']).toBe('image/png');
  const forged = `${cover.pathname}${cover.search.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')}`;
  expect((await request.get(forged)).status()).toBe(404);
  expect((await request.get(`/api/media/${video}/cover-url`)).status()).toBe(401);
  expect((await page.request.get(`/api/media/${video}/cover-url`)).status()).toBe(400);
  // The same WeCom media_id both times: one upload each for the image, the video and the file.
  expect((sent[6]!.image as { mediaid: string }).mediaid).toBe(
    (sent[2]!.image as { mediaid: string }).mediaid,
  );
  expect((await counter(request, 'media/upload')) - uploadsBefore).toBe(3);

  const pane = page.getByTestId('chat-messages');
  await expect(pane).toContainText('欢迎了解星河企业版');
  await expect(pane).toContainText('企业版报价');
  await expect(pane).toContainText('报价单.png');
  await expect(pane.locator('img[alt="报价单.png"]').first()).toHaveJSProperty('complete', true);
  expect(
    await pane
      .locator('img[alt="报价单.png"]')
      .first()
      .evaluate((img: HTMLImageElement) => img.naturalWidth),
  ).toBeGreaterThan(0);
  await expect(pane).toContainText('产品演示.mp4');
  await expect(pane).toContainText('价目表.pdf');
  await expect(pane).toContainText('预约试驾');

  // Three days later WeCom has forgotten the media_id (the app still holds it): the client refuses it, and the
  // server uploads the original once more. The open sidebar sends it: reopening would also find WeCom's tickets
  // expired and spend the app's once-a-minute ticket refresh, which the signature tests on this server need.
  await emulator(request).advanceClock(3 * 86400_000 + 60_000);
  // The access token has expired with it: one API call renews it before the uploads are counted.
  expect((await page.request.get(`/api/contacts/${LIN}`)).status()).toBe(200);
  const uploadsLater = await counter(request, 'media/upload');
  await item(frame, '发送测试·图片').click();
  await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
  const again = await bridgeMessages(request);
  expect(again).toHaveLength(8);
  expect((again[7]!.image as { mediaid: string }).mediaid).not.toBe(
    (sent[2]!.image as { mediaid: string }).mediaid,
  );
  expect((await counter(request, 'media/upload')) - uploadsLater).toBe(1);

  // Usage is recorded once per send.
  const library = (await (await page.request.get('/api/quick-replies?entry=single')).json()) as {
    items: { title: string; usage: { count: number } }[];
  };
  expect(library.items.find((x) => x.title === '发送测试·图片')?.usage.count).toBe(3);
});

test('a multi-part reply shows its progress and stops at the first failing part, naming it', async ({
  page,
  request,
}) => {
  const image = await upload(page.request, '活动海报.png', PNG, 'image/png');
  const file = await upload(page.request, '活动细则.pdf', PDF, 'application/pdf');
  await reply(page.request, {
    kind: 'sequence',
    title: '发送测试·组合',
    parts: [
      { kind: 'text', text: '组合第一段：活动介绍' },
      { kind: 'image', mediaId: image },
      { kind: 'file', mediaId: file },
      { kind: 'text', text: '组合最后一段' },
    ],
  });
  const frame = await openSimulator(page);
  await expect(item(frame, '发送测试·组合')).toContainText('组合 · 4');

  // WeCom is slow, then refuses the image's upload: part 2 of 4 fails, parts 3 and 4 are never sent.
  await addFault(request, { api: 'media/upload', errcode: 45009, latencyMs: 1500, times: 1 });
  await item(frame, '发送测试·组合').click();
  await expect(frame.getByTestId('send-progress')).toContainText('2/4');
  const error = frame.getByTestId('send-error');
  await expect(error).toContainText('第 2 部分（图片）发送失败');
  await expect(error).toContainText('前 1 部分已发送');
  expect((await bridgeMessages(request)).map((m) => m.text?.content ?? m.msgtype)).toEqual([
    '组合第一段：活动介绍',
  ]);

  // Sent again (WeCom answers now): all four parts, in order.
  await item(frame, '发送测试·组合').click();
  await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
  await expect(error).toHaveCount(0);
  expect((await bridgeMessages(request)).slice(1).map((m) => m.msgtype)).toEqual([
    'text',
    'image',
    'file',
    'text',
  ]);
});

test('variables are previewed resolved for the customer; an unknown one stays visible and is flagged', async ({
  page,
  request,
}) => {
  await reply(page.request, {
    kind: 'text',
    title: '发送测试·变量',
    text: '{客户称呼}您好，我是{我的名字}，祝您{生日}快乐',
  });
  await reply(page.request, { kind: 'text', title: '发送测试·无变量', text: '没有变量的回复' });
  const frame = await openSimulator(page);

  await item(frame, '发送测试·变量').click();
  const preview = frame.getByTestId('variable-preview');
  await expect(preview.getByTestId('preview-text')).toHaveText(
    '林晓梅-采购主管您好，我是张伟，祝您{生日}快乐',
  );
  await expect(preview.getByTestId('flagged-variable')).toHaveText('{生日}');
  await expect(preview.getByTestId('flagged-list')).toContainText('未知变量');
  expect(await bridgeMessages(request)).toEqual([]);
  await preview.getByTestId('preview-send').click();
  await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
  expect((await bridgeMessages(request)).map((m) => m.text?.content)).toEqual([
    '林晓梅-采购主管您好，我是张伟，祝您{生日}快乐',
  ]);

  // A reply without variables goes with one click.
  await item(frame, '发送测试·无变量').click();
  await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
  expect(await bridgeMessages(request)).toHaveLength(2);

  // In a group chat there is no single customer: the customer variable is flagged, not guessed.
  await setClient(request, { entry: 'group_chat_tools', chatId: WELL_KNOWN.vipChat, externalUserId: null });
  await page.reload();
  const group = page.frameLocator('[data-testid="sidebar-frame"]');
  await group.getByRole('tab', { name: '快捷回复' }).click();
  await group.getByTestId('quick-reply').filter({ hasText: '发送测试·变量' }).click();
  await expect(group.getByTestId('flagged-variable')).toHaveText(['{客户称呼}', '{生日}']);
  await expect(group.getByTestId('flagged-list')).toContainText('群聊中没有单个客户');
});

test('mini-program cards are hidden on a Mac client before 4.1.26, with a note', async ({
  page,
  request,
}) => {
  const image = await upload(page.request, '封面.png', PNG, 'image/png');
  await reply(page.request, {
    kind: 'miniprogram',
    title: '发送测试·小程序',
    miniprogram: { appid: MINI_APPID, page: '/pages/index.html', title: '预约试驾', coverMediaId: image },
  });
  await reply(page.request, { kind: 'text', title: '发送测试·文本', text: 'Mac 也能发文本' });

  await setClient(request, { flavour: 'mac', version: '4.1.22' });
  const frame = await openSimulator(page);
  await expect(item(frame, '发送测试·文本')).toBeVisible();
  await expect(item(frame, '发送测试·小程序')).toHaveCount(0);
  await expect(frame.getByTestId('hidden-note')).toContainText('4.1.26');

  await setClient(request, { version: '4.1.26' });
  await page.reload();
  const updated = page.frameLocator('[data-testid="sidebar-frame"]');
  await updated.getByRole('tab', { name: '快捷回复' }).click();
  await updated.getByTestId('quick-reply').filter({ hasText: '发送测试·小程序' }).click();
  await expect(updated.getByTestId('toast')).toHaveText('已发送到当前会话');
  await expect(updated.getByTestId('hidden-note')).toHaveCount(0);
  expect((await bridgeMessages(request)).map((m) => m.msgtype)).toEqual(['miniprogram']);
});

test('the library opens from the chat attachment bar and sends into that chat', async ({ page, request }) => {
  await reply(page.request, { kind: 'text', title: '发送测试·附件栏', text: '来自附件栏的回复' });
  await reply(page.request, {
    kind: 'text',
    title: '发送测试·仅群',
    text: '只给 VIP 群',
    scope: { type: 'groups', chatIds: [WELL_KNOWN.vipChat] },
  });
  await openSimulator(page);
  await page.getByTestId('open-from').selectOption('attachment');
  const frame = page.frameLocator('[data-testid="sidebar-frame"]');
  const library = frame.getByTestId('attachment-library');
  await expect(library).toBeVisible();
  await expect(frame.getByTestId('customer-name')).toHaveCount(0);
  await expect(item(frame, '发送测试·仅群')).toHaveCount(0);
  await item(frame, '发送测试·附件栏').click();
  await expect(frame.getByTestId('toast')).toHaveText('已发送到当前会话');
  const sent = await bridgeMessages(request);
  expect(sent).toEqual([
    expect.objectContaining({
      msgtype: 'text',
      target: { externalUserId: LIN },
      text: { content: '来自附件栏的回复' },
    }),
  ]);
  await expect(page.getByTestId('chat-messages')).toContainText('来自附件栏的回复');
  expect((await emulator(request).state()).client.entry).toBe('chat_attachment');
});

test('favourites come first, then the categories in their order; search finds Chinese substrings', async ({
  page,
}) => {
  const category = async (name: string) => {
    const res = await page.request.post('/api/admin/reply-categories', { data: { name } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { item: { id: string } }).item.id;
  };
  const stamp = Date.now() % 1_000_000;
  const later = await category(`测试乙-${stamp}`);
  const first = await category(`测试甲-${stamp}`);
  const order = await page.request.put('/api/admin/reply-categories/order', {
    data: { ids: [first, later] },
  });
  expect(order.status(), await order.text()).toBe(200);
  await reply(page.request, { kind: 'text', title: '发送测试·乙类', text: '乙类内容', categoryId: later });
  await reply(page.request, {
    kind: 'text',
    title: '发送测试·甲类',
    text: '最新报价单在此',
    categoryId: first,
  });
  try {
    const frame = await openSimulator(page);
    const groups = frame.getByTestId('reply-group');
    const ids = async () => groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
    expect((await ids()).filter((g) => g === first || g === later)).toEqual([first, later]);

    // A star moves the reply into the favourites, above every category.
    const row = frame.getByTestId('quick-reply-item').filter({ hasText: '发送测试·乙类' });
    await row.getByTestId('favourite-toggle').click();
    await expect(row.getByTestId('favourite-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(groups.first()).toHaveAttribute('data-group', 'favourites');
    await expect(groups.first()).toContainText('发送测试·乙类');
    await page.reload();
    const again = page.frameLocator('[data-testid="sidebar-frame"]');
    await again.getByRole('tab', { name: '快捷回复' }).click();
    await expect(again.getByTestId('reply-group').first()).toContainText('发送测试·乙类');

    await again.getByRole('searchbox').fill('报价');
    await expect(again.getByTestId('quick-reply').filter({ hasText: '发送测试' })).toHaveText([
      /发送测试·甲类/,
    ]);
    const star = again.getByTestId('quick-reply-item').filter({ hasText: '发送测试·乙类' });
    await again.getByRole('searchbox').fill('');
    await star.getByTestId('favourite-toggle').click();
    await expect(star.getByTestId('favourite-toggle')).toHaveAttribute('aria-pressed', 'false');
  } finally {
    await page.request.delete(`/api/admin/reply-categories/${first}`);
    await page.request.delete(`/api/admin/reply-categories/${later}`);
  }
});
