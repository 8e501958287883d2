import type { Bilingual } from './http';

/** WeCom's domain-verification file: `WW_verify_` + 16 letters/digits + `.txt`, content = those 16 characters. */
export const VERIFY_FILE_PATTERN = /^WW_verify_([A-Za-z0-9]{16})\.txt$/;

export interface VerifyFile {
  fileName: string;
  code: string;
}

export type VerifyFileResult = ({ ok: true } & VerifyFile) | { ok: false; error: Bilingual };

/** The code of a well-formed verification file name, or null. */
export function verifyCodeOf(fileName: string): string | null {
  return VERIFY_FILE_PATTERN.exec(fileName)?.[1] ?? null;
}

export function isVerifyFileName(fileName: string): boolean {
  return verifyCodeOf(fileName) !== null;
}

function describeNameProblem(fileName: string): Bilingual {
  // Browsers rename a second download to "WW_verify_xxx (1).txt"; say so instead of a bare "bad name".
  const renamed = /^(WW_verify_[A-Za-z0-9]{16})\s*[(（]\d+[)）]\.txt$/.exec(fileName);
  if (renamed) {
    return {
      zh: `文件名被浏览器改成了 “${fileName}”，请改回 ${renamed[1]}.txt 后重试`,
      en: `The browser renamed the file to "${fileName}"; rename it back to ${renamed[1]}.txt and retry`,
    };
  }
  return {
    zh: `文件名 “${fileName}” 不是企业微信的校验文件名（应为 WW_verify_ + 16 位字母或数字 + .txt）`,
    en: `"${fileName}" is not a WeCom verification file name (expected WW_verify_ + 16 letters or digits + .txt)`,
  };
}

/**
 * Checks a downloaded verification file: the name format and that the content is exactly the code in the name.
 * A single trailing newline (some editors add one) is tolerated; the caller writes the file without it.
 */
export function validateVerifyFile(fileName: string, content: string): VerifyFileResult {
  const code = verifyCodeOf(fileName);
  if (!code) return { ok: false, error: describeNameProblem(fileName) };
  const body = content.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (body !== code) {
    const shown = body.length > 40 ? `${body.slice(0, 40)}…` : body;
    return {
      ok: false,
      error: {
        zh: `文件内容应恰好为 ${code}（与文件名中的 16 位代码一致），实际为 “${shown}”；请重新从管理后台下载`,
        en: `The content must be exactly ${code} (the 16 characters in the name) but is "${shown}"; download it again from the admin console`,
      },
    };
  }
  return { ok: true, fileName, code };
}
