/**
 * npm run verify-file -- <downloaded WW_verify_XXXXXXXXXXXXXXXX.txt> [--public-dir <dir>]
 *
 * Checks a WeCom domain-verification file (name and content) and copies it into public/, from where Next serves
 * it at the domain root exactly as WeCom expects.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isVerifyFileName, validateVerifyFile } from '../lib/verify-file';
import { loadEnv } from './env';

function fail(zh: string, en: string): never {
  console.error(`✘ ${zh}\n  ${en}`);
  process.exit(1);
}

function parseArgs(argv: string[]): { file?: string; publicDir: string } {
  let file: string | undefined;
  let publicDir = path.join(process.cwd(), 'public');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--public-dir') {
      const next = argv[++i];
      if (!next) fail('--public-dir 需要一个目录', '--public-dir needs a directory');
      publicDir = path.resolve(next);
    } else if (arg === '-h' || arg === '--help') {
      console.log(
        '用法 / Usage: npm run verify-file -- <WW_verify_XXXXXXXXXXXXXXXX.txt> [--public-dir <dir>]',
      );
      process.exit(0);
    } else if (file === undefined) {
      file = arg;
    } else {
      fail(`多余的参数 “${arg}”`, `Unexpected argument "${arg}"`);
    }
  }
  return { file, publicDir };
}

function main() {
  const { file, publicDir } = parseArgs(process.argv.slice(2));
  if (!file) {
    fail(
      '请给出从企业微信管理后台下载的校验文件：npm run verify-file -- ~/Downloads/WW_verify_XXXXXXXXXXXXXXXX.txt',
      'Pass the file downloaded from the WeCom admin console: npm run verify-file -- ~/Downloads/WW_verify_XXXXXXXXXXXXXXXX.txt',
    );
  }
  const source = path.resolve(file);
  if (!existsSync(source) || !statSync(source).isFile()) {
    fail(`找不到文件 ${source}`, `File not found: ${source}`);
  }
  const size = statSync(source).size;
  if (size > 1024) {
    fail(
      `文件过大（${size} 字节），校验文件只含 16 个字符`,
      `File too large (${size} bytes); a verification file holds 16 characters`,
    );
  }
  const fileName = path.basename(source);
  const result = validateVerifyFile(fileName, readFileSync(source, 'utf8'));
  if (!result.ok) fail(result.error.zh, result.error.en);

  mkdirSync(publicDir, { recursive: true });
  const target = path.join(publicDir, result.fileName);
  const unchanged = existsSync(target) && readFileSync(target, 'utf8') === result.code;
  // Exactly the code: no trailing newline, WeCom compares the body byte for byte.
  if (!unchanged) writeFileSync(target, result.code);
  const others = readdirSync(publicDir).filter((n) => isVerifyFileName(n) && n !== result.fileName);

  const { env } = loadEnv();
  const base = (env.APP_BASE_URL ?? '').replace(/\/+$/, '') || 'https://<你的域名 / your domain>';
  const url = `${base}/${result.fileName}`;
  console.log(
    `✔ ${unchanged ? '已存在且内容一致' : '已写入'} ${path.relative(process.cwd(), target) || target}` +
      ` / ${unchanged ? 'already present with the same content' : 'written'}`,
  );
  if (others.length > 0) {
    console.log(`  public/ 中还有其他校验文件 / other verification files in public/: ${others.join(', ')}`);
  }
  console.log(
    [
      '',
      '下一步 / Next steps:',
      `  1. 部署应用（public/ 目录随应用发布）/ Deploy the app (public/ ships with it)`,
      `  2. 确认 ${url} 返回 ${result.code} / Check that ${url} returns ${result.code}`,
      `     curl -s ${url}`,
      '  3. 回到企业微信管理后台的「可信域名」设置，点击“验证”/ Back in the WeCom admin console (可信域名), click 验证 (Verify)',
      '  4. /admin 页面或 npm run doctor 会检查该文件 / /admin and npm run doctor check the file',
    ].join('\n'),
  );
}

main();
