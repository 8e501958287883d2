import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startEmulator } from '@/emulator/index';
import { emulatorControl } from '@/emulator/control-client';
import { EMBEDDING_MODEL, LLM_API_KEY, LLM_MODEL } from '@/emulator/llm';

let emu: Awaited<ReturnType<typeof startEmulator>>;
let client: OpenAI;

const PROMPT = [
  '问题：工牌保修多久？',
  '',
  '资料：',
  '[1] 价格表 › 发票',
  '付款到账后 5 个工作日内开具电子发票。',
  '',
  '[2] 售后政策 › 八、硬件保修',
  '智能录音工牌自签收之日起保修 1 年。7 天内出现质量问题可以直接换新。',
].join('\n');

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OpenAI({ baseURL: `${emu.url}/llm/v1`, apiKey: LLM_API_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe('emulated OpenAI-compatible chat completions, through the official client', () => {
  it('answers from the passage that matches the question and cites it', async () => {
    const r = await client.chat.completions.create({
      model: LLM_MODEL,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]!.message.content).toBe(
      '智能录音工牌自签收之日起保修 1 年。7 天内出现质量问题可以直接换新。 [2]',
    );
  });

  it('streams chat.completion.chunk events ending with [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: LLM_MODEL,
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toMatch(/保修 1 年.*\[2\]$/);
    expect(finish).toBe('stop');
  });

  it('says so when no passage relates to the question', async () => {
    const r = await client.chat.completions.create({
      model: LLM_MODEL,
      messages: [
        {
          role: 'user',
          content: '问题：今天天气怎么样\n\n资料：\n[1] 价格表\n专业版每个账号每年 1,200 元。',
        },
      ],
    });
    expect(r.choices[0]!.message.content).toMatch(/没有/);
  });

  it('refuses a wrong key (401), an unknown model (404) and a bad body (400) like the API', async () => {
    const bad = new OpenAI({ baseURL: `${emu.url}/llm/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(
      bad.chat.completions.create({ model: LLM_MODEL, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      client.chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404 });
    const res = await fetch(`${emu.url}/llm/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LLM_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: LLM_MODEL, messages: 'hi' }),
    });
    expect(res.status).toBe(400);
  });

  it('takes faults and counts calls; keeps the last requests for inspection', async () => {
    await emulatorControl(emu.url).fault({ api: 'llm/chat/completions', httpStatus: 500, times: 1 });
    await expect(
      client.chat.completions.create({ model: LLM_MODEL, messages: [{ role: 'user', content: PROMPT }] }),
    ).rejects.toMatchObject({ status: 500 });
    expect(await emulatorControl(emu.url).counter('llm/chat/completions')).toBeGreaterThanOrEqual(5);
    const kept = await emulatorControl(emu.url).llmRequests();
    expect(kept.map((r) => r.messages[0]!.content)).toContain(PROMPT);
  });

  it('serves embeddings (float and base64, as the client asks) that place similar wording closer', async () => {
    const r = await client.embeddings.create({
      model: EMBEDDING_MODEL,
      input: ['工牌保修多久', '工牌的保修期是一年', '专业版每个账号每年 1,200 元'],
    });
    const [q, near, far] = r.data.map((d) => d.embedding);
    expect(q).toHaveLength(256);
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(q!, q!)).toBeCloseTo(1, 5);
    expect(dot(q!, near!)).toBeGreaterThan(dot(q!, far!));
    const floats = await fetch(`${emu.url}/llm/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LLM_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: EMBEDDING_MODEL, input: '工牌保修多久' }),
    });
    const body = (await floats.json()) as { data: Array<{ embedding: number[] }> };
    expect(body.data[0]!.embedding[0]).toBeCloseTo(q![0]!, 5);
  });
});
