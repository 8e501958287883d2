import { expect, test } from '@playwright/test';
import { WELL_KNOWN, bridgeMessages, loginInClient, resetEmulator, setClient } from './helpers';

const LIN = WELL_KNOWN.linXiaomei;

test.describe('assistant (问答) in the simulator', () => {
  test.beforeEach(async ({ request }) => {
    await resetEmulator(request);
  });

  test('ask, see the passage with the words highlighted, send it into the chat; then a generated answer', async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await expect(frame.getByTestId('customer-name')).toHaveText('林晓梅');

    await frame.getByRole('tab', { name: '问答' }).click();
    // Suggested from the customer's tags and stage, before anything is typed.
    await expect(frame.getByRole('button', { name: /企业版|版本|价格|发票|试用/ }).first()).toBeVisible();

    const input = frame.getByRole('textbox', { name: /输入或粘贴客户的问题/ });
    await input.fill('開發票要幾天？');
    await input.press('Enter');
    const first = frame.getByTestId('assistant-passage').first();
    await expect(first).toContainText('5 个工作日');
    await expect(first.locator('mark').filter({ hasText: '发票' }).first()).toBeVisible();

    await first.getByRole('button', { name: '发送', exact: true }).click();
    await expect(frame.getByTestId('toast')).toHaveText('已发送到聊天');
    await expect(page.getByTestId('chat-messages')).toContainText('5 个工作日');
    const sent = await bridgeMessages(request);
    expect(sent.at(-1)).toEqual(
      expect.objectContaining({ target: expect.objectContaining({ externalUserId: LIN }), msgtype: 'text' }),
    );

    // An edited version.
    await first.getByRole('button', { name: '编辑后发送' }).click();
    await first.getByRole('textbox').fill('林姐您好：发票在付款到账后 5 个工作日内开出。');
    await first.getByRole('button', { name: '发送', exact: true }).click();
    await expect(page.getByTestId('chat-messages')).toContainText('林姐您好：发票在付款到账后');

    // A generated answer from the emulated model, streamed, with a citation that opens its passage.
    await frame.getByRole('button', { name: '生成回答' }).click();
    const answer = frame.getByTestId('assistant-answer');
    await expect(answer).toHaveAttribute('data-state', 'done');
    await expect(answer).toContainText('发票');
    await answer
      .getByRole('button', { name: /^\[\d\]$/ })
      .first()
      .click();
    await expect(frame.locator('[data-testid="assistant-passage"][class*="resultActive"]')).toHaveCount(1);

    await frame.getByRole('button', { name: /没帮助/ }).click();
    await expect(frame.getByText('感谢反馈')).toBeVisible();
  });

  test('a question the knowledge base does not cover is declined without calling the model', async ({
    page,
    request,
  }) => {
    await setClient(request, { userId: 'zhangwei', entry: 'single_chat_tools', externalUserId: LIN });
    await page.goto('/simulator');
    const frame = page.frameLocator('[data-testid="sidebar-frame"]');
    await frame.getByRole('tab', { name: '问答' }).click();
    await frame.getByRole('textbox', { name: /输入或粘贴客户的问题/ }).fill('你们老板叫什么名字');
    const before = (
      (await (await request.get('/wecom-emulator/state')).json()) as { counters: Record<string, number> }
    ).counters['llm/chat/completions'];
    await frame.getByRole('button', { name: '生成回答' }).click();
    await expect(frame.getByTestId('assistant-answer')).toHaveAttribute('data-state', 'declined');
    await expect(frame.getByTestId('assistant-answer')).toContainText('知识库中没有涵盖这个问题');
    const after = (
      (await (await request.get('/wecom-emulator/state')).json()) as { counters: Record<string, number> }
    ).counters['llm/chat/completions'];
    expect(after).toBe(before);
  });
});

test.describe('knowledge API', () => {
  test('needs a session; admins add, list and delete documents; limits answer 413 and 400', async ({
    page,
    request,
  }) => {
    expect((await request.get('/api/assistant/search?q=发票')).status()).toBe(401);
    expect((await request.get('/api/admin/knowledge')).status()).toBe(401);

    await setClient(request, { userId: 'zhangwei', entry: 'normal' });
    await loginInClient(page, '/workbench');
    const api = page.request;
    const origin = { origin: new URL(page.url()).origin };

    const md = '# 渠道政策\n\n## 代理返点\n\n年度销售额超过 100 万元的代理商返点 8%。\n';
    const created = await api.post('/api/admin/knowledge', {
      headers: origin,
      multipart: { file: { name: 'channel.md', mimeType: 'text/markdown', buffer: Buffer.from(md) } },
    });
    expect(created.status()).toBe(201);
    const { document } = (await created.json()) as {
      document: { id: number; title: string; passages: number };
    };
    expect(document).toMatchObject({ title: '渠道政策', passages: 1 });

    const qa = await api.post('/api/admin/knowledge', {
      headers: origin,
      data: { title: '发货', question: '多久发货？', answer: '工牌下单后 48 小时内发货。' },
    });
    expect(qa.status()).toBe(201);

    const found = (await (await api.get('/api/assistant/search?q=代理商返点多少&limit=3')).json()) as {
      results: Array<{ documentId: number; title: string; text: string; score: number }>;
      answerable: boolean;
    };
    expect(found.answerable).toBe(true);
    expect(found.results[0]).toMatchObject({ documentId: document.id, title: '渠道政策' });
    expect(found.results[0]!.score).toBeGreaterThan(0);

    const list = (await (await api.get('/api/admin/knowledge')).json()) as {
      documents: Array<{ id: number }>;
    };
    expect(list.documents.map((d) => d.id)).toContain(document.id);
    expect((await api.delete(`/api/admin/knowledge/${document.id}`, { headers: origin })).status()).toBe(204);
    const after = (await (await api.get('/api/assistant/search?q=代理商返点多少')).json()) as {
      results: Array<{ documentId: number }>;
    };
    expect(after.results.map((r) => r.documentId)).not.toContain(document.id);

    const big = await api.post('/api/admin/knowledge', {
      headers: origin,
      multipart: {
        file: { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(5 * 1024 * 1024 + 10, 0x61) },
      },
    });
    expect(big.status()).toBe(413);
    const bad = await api.post('/api/admin/knowledge', {
      headers: origin,
      multipart: { file: { name: 'a.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') } },
    });
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unsupported_type');
    expect((await api.get('/api/assistant/search?q=')).status()).toBe(400);

    // The workbench page offers the member's own recent questions.
    await page.goto('/workbench/assistant');
    await expect(page.getByRole('button', { name: '代理商返点多少' })).toBeVisible();
  });
});

test.describe('knowledge base in /admin', () => {
  test('lists the demo documents, uploads a file, and turns a question that found nothing into a Q&A pair', async ({
    page,
    request,
  }) => {
    await resetEmulator(request);
    await setClient(request, { userId: 'zhangwei', entry: 'normal' });
    await loginInClient(page, '/admin');
    const kb = page.getByTestId('knowledge-manager');
    await expect(
      kb.getByTestId('knowledge-document').filter({ hasText: '星河客户云产品手册' }),
    ).toBeVisible();
    await expect(kb).toContainText('5 MB');

    await kb.locator('input[type="file"]').setInputFiles({
      name: 'holiday.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# 假期安排\n\n## 春节\n\n春节期间客服值班时间为 10:00–16:00。\n'),
    });
    await kb.getByRole('button', { name: '上传 / Upload' }).click();
    await expect(kb.getByRole('status')).toContainText('已添加《假期安排》，1 个段落');
    await expect(kb.getByTestId('knowledge-document').filter({ hasText: '假期安排' })).toBeVisible();

    const missed = await page.request.get(`/api/assistant/search?q=${encodeURIComponent('年会在哪里举办')}`);
    expect(((await missed.json()) as { answerable: boolean }).answerable).toBe(false);
    await page.reload();
    const open = kb.getByTestId('knowledge-question').filter({ hasText: '年会在哪里举办' });
    await expect(open).toBeVisible();
    await open.getByRole('textbox').fill('今年的客户年会在深圳湾万丽酒店举办。');
    await open.getByRole('button', { name: '转为问答对 / Add as Q&A' }).click();
    await expect(kb.getByRole('status')).toContainText('已转为问答对');
    await expect(kb.getByTestId('knowledge-question').filter({ hasText: '年会在哪里举办' })).toHaveCount(0);
    const found = (await (
      await page.request.get(`/api/assistant/search?q=${encodeURIComponent('年会在哪里举办')}`)
    ).json()) as { answerable: boolean; results: Array<{ text: string }> };
    expect(found.answerable).toBe(true);
    expect(found.results[0]!.text).toBe('今年的客户年会在深圳湾万丽酒店举办。');
  });
});
