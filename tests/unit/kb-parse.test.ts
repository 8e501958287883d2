import { describe, expect, it } from 'vitest';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { parseDocument } from '@/lib/kb/parse';
import { KnowledgeError } from '@/lib/kb/errors';
import { errorResponse } from '@/lib/http';
import { KB_LIMITS } from '@/lib/kb/limits';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function failure(p: Promise<unknown>): Promise<KnowledgeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KnowledgeError) return err;
    throw err;
  }
  throw new Error('expected a KnowledgeError');
}

describe('parsing each file type into passages along its structure', () => {
  it('Markdown: one passage per section, heading path and line as source', async () => {
    const md =
      '# 产品手册\n\n## 数据安全\n\n数据使用 AES-256 加密。\n\n### 备份\n\n每天备份一次。\n\n## 价格\n\n每年 1,200 元。\n';
    const doc = await parseDocument('manual.md', utf8(md));
    expect(doc.kind).toBe('markdown');
    expect(doc.title).toBe('产品手册');
    expect(doc.passages.map((p) => [p.heading, p.text, p.source])).toEqual([
      ['数据安全', '数据使用 AES-256 加密。', '第 5 行'],
      ['数据安全 › 备份', '每天备份一次。', '第 9 行'],
      ['价格', '每年 1,200 元。', '第 13 行'],
    ]);
  });

  it('plain text: the first line is the title, 一、… lines are headings, numbered clauses split long sections', async () => {
    const clause = (n: number) => `${n}. ${'本条款说明了服务的具体内容和适用范围，'.repeat(20)}结束。`;
    const txt = `售后政策\n\n一、退款\n七天内无理由退款。\n\n二、响应时限\n${clause(1)}\n${clause(2)}\n`;
    const doc = await parseDocument('policy.txt', utf8(txt));
    expect(doc.title).toBe('售后政策');
    expect(doc.passages[0]).toMatchObject({
      heading: '一、退款',
      text: '七天内无理由退款。',
      source: '第 4 行',
    });
    const clauses = doc.passages.filter((p) => p.heading === '二、响应时限');
    expect(clauses).toHaveLength(2);
    expect(clauses[0]!.text.startsWith('1. ')).toBe(true);
    expect(clauses[1]!.text.startsWith('2. ')).toBe(true);
    for (const p of doc.passages) expect(p.text.length).toBeLessThanOrEqual(KB_LIMITS.maxPassageChars);
  });

  it('plain text in GB18030 is decoded', async () => {
    const gbk = Buffer.from('cdcbbfeed5feb2dfa3bac6dfccecc4dacedec0edd3c9cdcbbfeea1a3', 'hex'); // not UTF-8
    const doc = await parseDocument('a.txt', new Uint8Array(gbk));
    expect(doc.passages.map((p) => p.text)).toEqual(['退款政策：七天内无理由退款。']);
  });

  it('Word (.docx) made here: headings and paragraphs', async () => {
    const docx = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: '星河售后手册', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ text: '硬件保修', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('录音工牌保修 1 年。'),
            new Paragraph('人为损坏不在保修范围内。'),
            new Paragraph({ text: '发票', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('付款后 5 个工作日内开具电子发票。'),
          ],
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(docx));
    const doc = await parseDocument('after-sales.docx', bytes);
    expect(doc.kind).toBe('docx');
    expect(doc.title).toBe('星河售后手册');
    expect(doc.passages.map((p) => [p.heading, p.text])).toEqual([
      ['硬件保修', '录音工牌保修 1 年。\n人为损坏不在保修范围内。'],
      ['发票', '付款后 5 个工作日内开具电子发票。'],
    ]);
    expect(doc.passages[0]!.source).toBe('第 3 段');
  });

  it('PDF made here: text per page, page as source', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page1 = pdf.addPage();
    page1.drawText('Product Guide', { x: 50, y: 760, font, size: 18 });
    page1.drawText('1. Warranty: the badge is covered for one year.', { x: 50, y: 720, font, size: 12 });
    const page2 = pdf.addPage();
    page2.drawText('2. Invoices are issued within five working days.', { x: 50, y: 720, font, size: 12 });
    const doc = await parseDocument('guide.pdf', await pdf.save());
    expect(doc.kind).toBe('pdf');
    const texts = doc.passages.map((p) => p.text).join('\n');
    expect(texts).toContain('Warranty: the badge is covered for one year.');
    expect(texts).toContain('Invoices are issued within five working days.');
    expect(doc.passages.find((p) => p.text.includes('Invoices'))!.source).toBe('第 2 页');
  });

  it('FAQ sheet as CSV: one passage per row with its question; category becomes the heading', async () => {
    const csv =
      '分类,问题,答案\n财务,可以开发票吗？,可以，付款后五个工作日内开具。\n售后,"能退款吗？","7 天内无理由退款, 全额。"\n,,\n';
    const doc = await parseDocument('faq.csv', utf8(csv));
    expect(doc.passages).toEqual([
      {
        heading: '财务',
        question: '可以开发票吗？',
        text: '可以，付款后五个工作日内开具。',
        source: '第 2 行',
      },
      { heading: '售后', question: '能退款吗？', text: '7 天内无理由退款, 全额。', source: '第 3 行' },
    ]);
  });

  it('FAQ sheet as .xlsx made here', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('FAQ');
    ws.addRow(['Question', 'Answer']);
    ws.addRow(['试用期多久？', '14 天。']);
    ws.addRow(['支持手机吗？', '支持，在企业微信工作台打开。']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const doc = await parseDocument('faq.xlsx', bytes, '常见问题');
    expect(doc.title).toBe('常见问题');
    expect(doc.passages.map((p) => [p.question, p.text, p.source])).toEqual([
      ['试用期多久？', '14 天。', '第 2 行'],
      ['支持手机吗？', '支持，在企业微信工作台打开。', '第 3 行'],
    ]);
  });

  it('refuses what it cannot read with a 400 and a bilingual message', async () => {
    expect((await failure(parseDocument('a.exe', utf8('x')))).code).toBe('unsupported_type');
    const notPdf = await failure(parseDocument('a.pdf', utf8('hello')));
    expect([notPdf.status, notPdf.code]).toEqual([400, 'unreadable_file']);
    expect(notPdf.userMessage.zh).toMatch(/无法读取/);
    expect(notPdf.userMessage.en).toMatch(/cannot be read/);
    expect((await failure(parseDocument('a.docx', utf8('PK not a zip')))).status).toBe(400);
    expect((await failure(parseDocument('faq.csv', utf8('a,b\n1,2\n')))).code).toBe('faq_columns');
  });

  it('a knowledge error answers through the one error mapping with its status and both languages', async () => {
    const res = errorResponse(new KnowledgeError(413, 'file_too_large', '文件太大。', 'Too large.'));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; messageZh: string; messageEn: string } };
    expect(body.error).toMatchObject({
      code: 'file_too_large',
      messageZh: '文件太大。',
      messageEn: 'Too large.',
    });
  });
});
