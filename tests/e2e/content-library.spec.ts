import { crc32, deflateSync } from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { loginInClient, resetEmulator, setClient, WELL_KNOWN } from './helpers';

/** A real PNG of w×h pixels of one colour (signature, IHDR, IDAT, IEND), made here so the server must sniff it. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).fill(Buffer.from(rgb))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const unique = () => Date.now().toString(36).slice(-5);

test.beforeEach(async ({ request }) => {
  await resetEmulator(request);
});

async function openLibrary(page: Page): Promise<Locator> {
  await loginInClient(page, '/admin');
  const manager = page.getByTestId('quick-replies');
  await expect(manager.getByTestId('reply-new')).toBeVisible();
  return manager;
}

/** Removes what a test created (the demo app's database outlives a test). */
async function cleanUp(page: Page, titles: string[], categoryNames: string[]) {
  const replies = (await (await page.request.get('/api/admin/quick-replies')).json()) as {
    items: { id: string; title: string }[];
  };
  for (const r of replies.items.filter((x) => titles.includes(x.title)))
    await page.request.delete(`/api/admin/quick-replies/${r.id}`);
  const cats = (await (await page.request.get('/api/admin/reply-categories')).json()) as {
    items: { id: string; name: string }[];
  };
  for (const c of cats.items.filter((x) => categoryNames.includes(x.name)))
    await page.request.delete(`/api/admin/reply-categories/${c.id}`);
}

test('admin: a category and an image reply uploaded here, shown under its category; bad uploads say why', async ({
  page,
}) => {
  const manager = await openLibrary(page);
  const category = `产品图-${unique()}`;
  const title = `报价单截图-${unique()}`;
  try {
    await manager.getByLabel(/新分类/).fill(category);
    await manager.getByRole('button', { name: /添加分类/ }).click();
    await expect(
      manager.getByTestId('category-item').filter({ has: page.locator(`input[value="${category}"]`) }),
    ).toHaveCount(1);

    await manager.getByTestId('reply-new').click();
    const editor = manager.getByTestId('reply-editor');
    await editor.getByLabel('标题 / Title', { exact: true }).fill(title);
    await editor.getByLabel('分类 / Category').selectOption({ label: category });
    await editor.getByRole('radio', { name: /图片 \/ Image/ }).check();
    const upload = editor.getByLabel(/上传图片/);

    // Wrong type: a text file named like a picture is refused by its content (415, the accepted types named).
    await upload.setInputFiles({
      name: 'fake.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture at all'),
    });
    await expect(editor.getByTestId('upload-error')).toContainText('JPG/PNG');
    await expect(editor.getByTestId('upload-error')).toContainText('10 MB');

    // Too large: an 11 MB PNG (413, the limit named in both languages).
    const big = Buffer.concat([png(1, 1, [0, 0, 0]), Buffer.alloc(11 * 1024 * 1024)]);
    await upload.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
    await expect(editor.getByTestId('upload-error')).toContainText('图片不能超过 10 MB');
    await expect(editor.getByTestId('upload-error')).toContainText('at most 10 MB');

    // A real PNG goes through and is previewed from the server.
    await upload.setInputFiles({
      name: 'quote.png',
      mimeType: 'image/png',
      buffer: png(8, 8, [0, 130, 239]),
    });
    await expect(editor.getByTestId('upload-error')).toHaveCount(0);
    const chosen = editor.getByTestId('media-chosen');
    await expect(chosen).toContainText('quote.png');
    await expect(chosen.getByRole('img')).toHaveJSProperty('naturalWidth', 8);
    await editor.getByRole('button', { name: '添加 / Add', exact: true }).click();
    await expect(editor).toHaveCount(0);

    const group = manager.getByRole('region', { name: category });
    await expect(group.getByTestId('reply-title')).toHaveText([title]);
    await expect(group.getByTestId('reply-item')).toContainText('图片 / Image');
    await expect(group.getByTestId('reply-usage')).toContainText('未使用');

    const saved = (await (await page.request.get('/api/admin/quick-replies')).json()).items.find(
      (r: { title: string }) => r.title === title,
    );
    expect(saved).toMatchObject({ kind: 'image', mediaId: expect.any(String) });
    expect(saved.categoryId).toBeTruthy();

    // Sent twice under one send id: counted once, shown with its last use.
    for (let i = 0; i < 2; i++) {
      const used = await page.request.post(`/api/quick-replies/${saved.id}/usage`, {
        data: { sendId: `e2e-${title}` },
      });
      expect(used.status()).toBe(200);
    }
    await page.reload();
    await expect(manager.getByRole('region', { name: category }).getByTestId('reply-usage')).toContainText(
      /使用 1 次，最近 \d/,
    );

    // The search box finds it by two characters of its title.
    await manager.getByLabel('搜索 / Search').fill('报价');
    await expect(manager.getByTestId('reply-title')).toContainText([title]);
    await manager.getByLabel('搜索 / Search').fill('没有这样的回复zz');
    await expect(manager.getByTestId('reply-item')).toHaveCount(0);
  } finally {
    await cleanUp(page, [title], [category]);
  }
});

test('admin: a sequence of three parts (text, link card, image) is saved and reopens intact', async ({
  page,
}) => {
  const manager = await openLibrary(page);
  const title = `开场三连-${unique()}`;
  try {
    await manager.getByTestId('reply-new').click();
    const editor = manager.getByTestId('reply-editor');
    await editor.getByLabel('标题 / Title', { exact: true }).fill(title);
    await editor.getByRole('radio', { name: /多条/ }).check();
    await editor.getByRole('button', { name: /添加一条/ }).click();
    await editor.getByRole('button', { name: /添加一条/ }).click();
    const part = (n: number) => editor.getByRole('group', { name: `第 ${n} 条 / Part ${n}` });
    await expect(editor.getByTestId('sequence-part')).toHaveCount(3);

    await part(1).getByLabel('内容 / Text').fill('您好，先看看我们的介绍：');
    await part(2).getByLabel('类型 / Kind').selectOption('news');
    await part(2).getByLabel('链接 / Link').fill('https://example.com/intro');
    await part(2).getByLabel('卡片标题 / Card title').fill('产品介绍');
    await part(3).getByLabel('类型 / Kind').selectOption('image');
    await part(3)
      .getByLabel(/上传图片/)
      .setInputFiles({
        name: 'poster.png',
        mimeType: 'image/png',
        buffer: png(4, 4, [7, 168, 95]),
      });
    await expect(part(3).getByTestId('media-chosen')).toContainText('poster.png');

    // Reorder: the card first, then the text; back again.
    await part(2)
      .getByRole('button', { name: /上移第 2 条/ })
      .click();
    await expect(part(1).getByLabel('链接 / Link')).toHaveValue('https://example.com/intro');
    await part(1)
      .getByRole('button', { name: /下移第 1 条/ })
      .click();
    await expect(part(1).getByLabel('内容 / Text')).toHaveValue('您好，先看看我们的介绍：');

    await editor.getByRole('button', { name: '添加 / Add', exact: true }).click();
    await expect(editor).toHaveCount(0);

    const item = manager.getByTestId('reply-item').filter({ hasText: title });
    await expect(item).toContainText('多条 / Sequence ×3');
    const saved = (await (await page.request.get('/api/admin/quick-replies')).json()).items.find(
      (r: { title: string }) => r.title === title,
    );
    expect(saved.kind).toBe('sequence');
    expect(saved.parts.map((p: { kind: string }) => p.kind)).toEqual(['text', 'news', 'image']);
    expect(saved.parts[1].news).toEqual({ link: 'https://example.com/intro', title: '产品介绍' });

    // Reopen (after a reload): every part as saved.
    await page.reload();
    const again = page.getByTestId('quick-replies').getByTestId('reply-item').filter({ hasText: title });
    await again.getByRole('button', { name: /编辑/ }).click();
    const reopened = again.getByTestId('reply-editor');
    const p = (n: number) => reopened.getByRole('group', { name: `第 ${n} 条 / Part ${n}` });
    await expect(reopened.getByTestId('sequence-part')).toHaveCount(3);
    await expect(p(1).getByLabel('内容 / Text')).toHaveValue('您好，先看看我们的介绍：');
    await expect(p(2).getByLabel('链接 / Link')).toHaveValue('https://example.com/intro');
    await expect(p(2).getByLabel('卡片标题 / Card title')).toHaveValue('产品介绍');
    await expect(p(3).getByTestId('media-chosen')).toHaveAttribute('data-media-id', saved.parts[2].mediaId);
    await expect(p(3).getByTestId('media-chosen')).toContainText('poster.png');

    // Remove the middle part and save: two parts remain, in order.
    await p(2)
      .getByRole('button', { name: /移除第 2 条/ })
      .click();
    await reopened.getByRole('button', { name: /保存/ }).click();
    await expect(reopened).toHaveCount(0);
    await expect(again).toContainText('多条 / Sequence ×2');
  } finally {
    await cleanUp(page, [title], []);
  }
});

test('member: a personal reply is theirs alone', async ({ page, browser, baseURL }) => {
  const title = `我的开场白-${unique()}`;
  await setClient(page.request, { userId: 'lina' });
  await loginInClient(page, '/workbench/replies');
  const mine = page.getByTestId('quick-replies');
  await mine.getByTestId('reply-new').click();
  const editor = mine.getByTestId('reply-editor');
  // Members pick from the corp's media library but do not upload.
  await editor.getByRole('radio', { name: /图片 \/ Image/ }).check();
  await expect(editor.getByTestId('media-picker')).toContainText('素材由管理员上传');
  await expect(editor.getByLabel(/上传图片/)).toHaveCount(0);
  await editor.getByRole('radio', { name: /文本 \/ Text/ }).check();
  await editor.getByLabel('标题 / Title', { exact: true }).fill(title);
  await editor.getByLabel('内容 / Text').fill('您好，我是丽娜，很高兴为您服务。');
  await editor.getByRole('button', { name: '添加 / Add', exact: true }).click();
  await expect(editor).toHaveCount(0);
  await expect(mine.getByTestId('reply-title')).toContainText([title]);
  const own = (await (await page.request.get('/api/quick-replies')).json()).items.find(
    (r: { title: string }) => r.title === title,
  );
  expect(own).toMatchObject({ owner: 'personal', kind: 'text' });

  // Scoped to one of the member's own group chats (picked by name): offered there, not in single chats.
  const item = mine.getByTestId('reply-item').filter({ hasText: title });
  await item.getByRole('button', { name: /编辑/ }).click();
  const edit = item.getByTestId('reply-editor');
  await edit.getByRole('radio', { name: /指定客户群/ }).check();
  await edit.getByRole('checkbox', { name: '华东渠道交流群' }).check();
  await edit.getByRole('button', { name: /保存/ }).click();
  await expect(edit).toHaveCount(0);
  await expect(item).toContainText('1 个客户群');
  const inGroup = await (
    await page.request.get(`/api/quick-replies?entry=group&chatId=${WELL_KNOWN.channelChat}`)
  ).json();
  expect(inGroup.items.find((r: { id: string }) => r.id === own.id)?.scope).toEqual({
    type: 'groups',
    chatIds: [WELL_KNOWN.channelChat],
  });
  const single = await (await page.request.get('/api/quick-replies?entry=single')).json();
  expect(single.items.map((r: { id: string }) => r.id)).not.toContain(own.id);

  // Another member sees neither the reply in their list nor their own page, and cannot change it.
  await setClient(page.request, { userId: 'chenjing' });
  const other = await browser.newContext({ baseURL });
  try {
    const otherPage = await other.newPage();
    await loginInClient(otherPage, '/workbench/replies');
    await expect(otherPage.getByTestId('reply-new')).toBeVisible();
    await expect(otherPage.getByTestId('quick-replies')).not.toContainText(title);
    const theirs = await (await otherPage.request.get('/api/quick-replies')).json();
    expect(theirs.items.map((r: { title: string }) => r.title)).not.toContain(title);
    const patch = await otherPage.request.patch(`/api/quick-replies/${own.id}`, { data: { title: '改掉' } });
    expect([403, 404]).toContain(patch.status());
  } finally {
    await other.close();
  }

  // The owner deletes it from their page.
  page.once('dialog', (d) => void d.accept());
  await mine
    .getByTestId('reply-item')
    .filter({ hasText: title })
    .getByRole('button', { name: /删除/ })
    .click();
  await expect(mine.getByTestId('reply-title').filter({ hasText: title })).toHaveCount(0);
});

test('admin: an import is a dry run first — the report by row, nothing changed until confirmed', async ({
  page,
}) => {
  const manager = await openLibrary(page);
  const exported = await page.request.get('/api/admin/quick-replies/export?format=json');
  expect(exported.status()).toBe(200);
  const file = (await exported.json()) as {
    replies: { id: string; title: string; kind: string; text?: string }[];
  };
  const target = file.replies.find((r) => r.kind === 'text')!;
  const original = target.text!;
  const created = `导入的回复-${unique()}`;
  const titles = async () =>
    (
      (await (await page.request.get('/api/admin/quick-replies')).json()) as { items: { title: string }[] }
    ).items.map((r) => r.title);
  const textOf = async (id: string) =>
    (
      (await (await page.request.get('/api/admin/quick-replies')).json()) as {
        items: { id: string; text?: string }[];
      }
    ).items.find((r) => r.id === id)?.text;
  const changed = file.replies.map((r) =>
    r.id === target.id ? { ...r, text: `${original}（导入修改）` } : r,
  );
  const fresh = { title: created, scope: { type: 'all' }, kind: 'text', text: '这条来自导入文件。' };
  const upload = manager.getByLabel(/导入文件/);
  const report = manager.getByTestId('import-report');
  try {
    // A file with a bad row: the dry run names the row; it cannot be applied.
    const bad = { replies: [...changed, fresh, { title: '', kind: 'text', text: '' }] };
    await upload.setInputFiles({
      name: 'library.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await expect(report).toHaveAttribute('data-dry-run', 'true');
    await expect(report.getByTestId('import-error')).toHaveCount(1);
    await expect(report.getByTestId('import-error')).toContainText(`第 ${changed.length + 2} 行`);
    await expect(manager.getByRole('button', { name: /确认导入/ })).toBeDisabled();

    // The corrected file: one new, one changed, the rest unchanged — and still nothing written.
    await upload.setInputFiles({
      name: 'library.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ replies: [...changed, fresh] })),
    });
    await expect(report.getByTestId('import-errors')).toContainText('0');
    await expect(report.getByTestId('import-created')).toHaveText('新增 / created 1');
    await expect(report.getByTestId('import-updated')).toHaveText('更新 / updated 1');
    await expect(report.getByTestId('import-unchanged')).toHaveText(`未变 / unchanged ${changed.length - 1}`);
    expect(await titles()).not.toContain(created);
    expect(await textOf(target.id)).toBe(original);

    await manager.getByRole('button', { name: /确认导入/ }).click();
    await expect(report).toHaveAttribute('data-dry-run', 'false');
    await expect(manager.getByTestId('reply-title').filter({ hasText: created })).toHaveCount(1);
    expect(await textOf(target.id)).toBe(`${original}（导入修改）`);
  } finally {
    await page.request.patch(`/api/admin/quick-replies/${target.id}`, { data: { text: original } });
    await cleanUp(page, [created], []);
  }
});

test('admin: categories renamed, reordered and deleted (their replies become uncategorised); exports download', async ({
  page,
}) => {
  const manager = await openLibrary(page);
  const [a, b, renamed] = ['售前', '售后', '售后服务'].map((n) => `${n}-${unique()}`) as [
    string,
    string,
    string,
  ];
  const title = `分类测试回复-${unique()}`;
  const names = async () =>
    (
      (await (await page.request.get('/api/admin/reply-categories')).json()) as { items: { name: string }[] }
    ).items
      .map((c) => c.name)
      .filter((n) => [a, b, renamed].includes(n));
  try {
    for (const name of [a, b]) {
      await manager.getByLabel(/新分类/).fill(name);
      await manager.getByRole('button', { name: /添加分类/ }).click();
      await expect(manager.getByRole('region', { name })).toBeVisible();
    }
    expect(await names()).toEqual([a, b]);

    // A reply filed under the first category.
    const cats = (await (await page.request.get('/api/admin/reply-categories')).json()) as {
      items: { id: string; name: string }[];
    };
    const aId = cats.items.find((c) => c.name === a)!.id;
    const made = await page.request.post('/api/admin/quick-replies', {
      data: { kind: 'text', title, text: '售前咨询请找我。', categoryId: aId },
    });
    expect(made.status()).toBe(201);
    await page.reload();
    await expect(manager.getByRole('region', { name: a }).getByTestId('reply-title')).toHaveText([title]);

    const label = `分类名称 / Category name: ${b}`;
    await manager.getByLabel(label).fill(renamed);
    await manager
      .getByTestId('category-item')
      .filter({ has: page.getByLabel(label) })
      .getByRole('button', { name: /重命名/ })
      .click();
    await expect(manager.getByRole('region', { name: renamed })).toBeVisible();
    await manager.getByRole('button', { name: `上移分类 ${renamed} / Move category up` }).click();
    await expect.poll(names).toEqual([renamed, a]);
    const shown = () =>
      manager
        .getByTestId('reply-group')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
        .then((labels) => labels.filter((l) => l === a || l === renamed));
    await expect.poll(shown).toEqual([renamed, a]);

    page.once('dialog', (d) => void d.accept());
    await manager.getByRole('button', { name: `删除分类 ${a} / Delete category` }).click();
    await expect.poll(names).toEqual([renamed]);
    await expect(
      manager.getByRole('region', { name: '未分类 / Uncategorised' }).getByTestId('reply-title'),
    ).toContainText([title]);

    // Exports: JSON and CSV files of the library.
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      manager.getByRole('link', { name: /导出 JSON/ }).click(),
    ]);
    const parsed = JSON.parse(await streamText(await json.createReadStream()));
    expect(parsed.replies.map((r: { title: string }) => r.title)).toContain(title);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      manager.getByRole('link', { name: /导出 CSV/ }).click(),
    ]);
    const text = await streamText(await csv.createReadStream());
    expect(text.split(/\r?\n/)[0]).toMatch(/title/);
    expect(text).toContain(title);
  } finally {
    await cleanUp(page, [title], [a, b, renamed]);
  }
});

test('admin: a mini-program card (AppID, .html page, uploaded cover) and a file reply', async ({ page }) => {
  const manager = await openLibrary(page);
  const card = `小程序下单-${unique()}`;
  const doc = `价目表文件-${unique()}`;
  try {
    await manager.getByTestId('reply-new').click();
    const editor = manager.getByTestId('reply-editor');
    await editor.getByLabel('标题 / Title', { exact: true }).fill(card);
    await editor.getByRole('radio', { name: /小程序/ }).check();
    await editor.getByLabel('小程序 AppID / Mini-program AppID').fill('wx123');
    await editor.getByLabel('页面路径 / Page path').fill('pages/order/index');
    await editor.getByLabel('卡片标题 / Card title').fill('一键下单');
    await editor.getByRole('button', { name: '添加 / Add', exact: true }).click();
    const errors = editor.getByTestId('field-error');
    await expect(errors).toContainText(['wx 加 16 位', '.html', '封面图']);

    await editor.getByLabel('小程序 AppID / Mini-program AppID').fill('wx0123456789abcdef');
    await editor.getByLabel('页面路径 / Page path').fill('pages/order/index.html');
    await editor.getByLabel(/上传图片/).setInputFiles({
      name: 'cover.png',
      mimeType: 'image/png',
      buffer: png(10, 8, [245, 154, 35]),
    });
    await expect(editor.getByTestId('media-chosen')).toContainText('cover.png');
    await editor.getByRole('button', { name: '添加 / Add', exact: true }).click();
    await expect(editor).toHaveCount(0);

    await manager.getByTestId('reply-new').click();
    const second = manager.getByTestId('reply-editor');
    await second.getByLabel('标题 / Title', { exact: true }).fill(doc);
    await second.getByRole('radio', { name: /文件 \/ File/ }).check();
    await second.getByLabel(/上传文件/).setInputFiles({
      name: '价目表.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('产品,价格\n基础版,999\n'),
    });
    await expect(second.getByTestId('media-chosen')).toContainText('价目表.csv');
    await second.getByRole('button', { name: '添加 / Add', exact: true }).click();
    await expect(second).toHaveCount(0);

    const items = (await (await page.request.get('/api/admin/quick-replies')).json()).items as {
      title: string;
      kind: string;
      mediaId?: string;
      miniprogram?: { appid: string; page: string; title: string; coverMediaId: string };
    }[];
    expect(items.find((r) => r.title === card)).toMatchObject({
      kind: 'miniprogram',
      miniprogram: { appid: 'wx0123456789abcdef', page: 'pages/order/index.html', title: '一键下单' },
    });
    expect(items.find((r) => r.title === doc)).toMatchObject({ kind: 'file', mediaId: expect.any(String) });

    // The file uploaded once is offered again for the next reply.
    await manager.getByTestId('reply-new').click();
    const third = manager.getByTestId('reply-editor');
    await third.getByRole('radio', { name: /文件 \/ File/ }).check();
    await expect(third.getByLabel(/已上传的文件/).locator('option', { hasText: '价目表.csv' })).toHaveCount(
      1,
    );
  } finally {
    await cleanUp(page, [card, doc], []);
  }
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
