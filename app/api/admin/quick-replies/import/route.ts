import { z } from 'zod';
import { importLibrary, MAX_IMPORT_BYTES } from '@/lib/content/library-io';
import { errorBody, HttpError, pickLang } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

const Query = z.object({
  format: z.enum(['json', 'csv']).optional(),
  dryRun: z.enum(['1', 'true', '0', 'false']).optional(),
});

const tooLarge = () =>
  new HttpError(413, 'import_too_large', {
    zh: `导入文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
    en: `The import file may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
  });

/** The file: the request body itself (text/csv, application/json) or the multipart field `file`. */
async function readFile(req: Request): Promise<{ text: string; type: string }> {
  if (Number(req.headers.get('content-length') ?? '0') > MAX_IMPORT_BYTES) throw tooLarge();
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const file = (await req.formData().catch(() => null))?.get('file');
    if (!file || typeof file === 'string')
      throw new HttpError(400, 'file_missing', {
        zh: '缺少文件字段 file',
        en: 'The field `file` is missing',
      });
    if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
    return {
      text: await file.text(),
      type: file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : file.type,
    };
  }
  const text = await req.text();
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) throw tooLarge();
  return { text, type };
}

/**
 * Imports replies into the corp library (`?format=json|csv`, default by content type; `&dryRun=1` only reports).
 * → `{ dryRun, created, updated, unchanged, categoriesCreated, errors: [{ row, message }] }`; a real import with
 * any error writes nothing and answers 400 with the same report.
 */
export const POST = route({ auth: 'admin-change', query: Query }, async ({ req, corp, query }) => {
  const file = await readFile(req);
  const format = query.format ?? (file.type.includes('csv') ? 'csv' : 'json');
  const dryRun = query.dryRun === '1' || query.dryRun === 'true';
  const report = await importLibrary(format, file.text, { dryRun }, { corpId: corp.id });
  if (dryRun || report.errors.length === 0) return report;
  const error = new HttpError(400, 'import_invalid', {
    zh: `导入文件有 ${report.errors.length} 处错误，未导入任何内容`,
    en: `The file has ${report.errors.length} error(s); nothing was imported`,
  });
  return Response.json(
    { ...errorBody(error, pickLang(req.headers.get('accept-language'))), ...report },
    { status: 400, headers: { 'cache-control': 'no-store' } },
  );
});
