import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVerifyFileName, validateVerifyFile, verifyCodeOf } from '@/lib/verify-file';

const CODE = 'YpAqDE4xoAPsmGSK';
const NAME = `WW_verify_${CODE}.txt`;

describe('validateVerifyFile', () => {
  it('accepts the exact code and tolerates one trailing newline', () => {
    expect(validateVerifyFile(NAME, CODE)).toEqual({ ok: true, fileName: NAME, code: CODE });
    expect(validateVerifyFile(NAME, `${CODE}\n`).ok).toBe(true);
    expect(validateVerifyFile(NAME, `${CODE}\r\n`).ok).toBe(true);
  });

  it('refuses other content', () => {
    for (const content of [
      '',
      `${CODE}\n\n`,
      ` ${CODE}`,
      CODE.toLowerCase(),
      'Xh7Kp2Lm9Qa4Rt6Z',
      `${CODE}x`,
    ]) {
      const r = validateVerifyFile(NAME, content);
      expect(r.ok, JSON.stringify(content)).toBe(false);
    }
  });

  it('refuses malformed names and explains a browser-renamed download', () => {
    for (const name of [
      'WW_verify_short.txt',
      `ww_verify_${CODE}.txt`,
      `WW_verify_${CODE}.TXT`,
      `WW_verify_${CODE}.txt.txt`,
      'WW_verify_YpAqDE4xoAPsmGS-.txt',
      `x${NAME}`,
    ]) {
      expect(validateVerifyFile(name, CODE).ok, name).toBe(false);
    }
    const renamed = validateVerifyFile(`WW_verify_${CODE} (1).txt`, CODE);
    expect(renamed.ok).toBe(false);
    if (!renamed.ok) expect(renamed.error.en).toContain(`rename it back to ${NAME}`);
  });

  it('extracts codes only from well-formed names', () => {
    expect(verifyCodeOf(NAME)).toBe(CODE);
    expect(isVerifyFileName('WW_verify_sLiFnl9UzNfQ9jxT.txt')).toBe(true);
    expect(isVerifyFileName('WW_verify_.txt')).toBe(false);
  });
});

describe('npm run verify-file', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'verify-file-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-file.ts', ...args], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, APP_BASE_URL: 'https://sidebar.example.com', NO_COLOR: '1' },
    });

  it('copies a valid download into public/ without the trailing newline and says what to do next', () => {
    const src = tmp();
    const pub = path.join(tmp(), 'public');
    writeFileSync(path.join(src, NAME), `${CODE}\n`);
    const r = run(path.join(src, NAME), '--public-dir', pub);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(pub, NAME), 'utf8')).toBe(CODE);
    expect(r.stdout).toContain(`https://sidebar.example.com/${NAME}`);
    expect(r.stdout).toContain('验证');
  });

  it('exits non-zero with a clear message for a bad name, bad content or a missing file', () => {
    const src = tmp();
    const pub = path.join(tmp(), 'public');
    writeFileSync(path.join(src, `WW_verify_${CODE} (1).txt`), CODE);
    writeFileSync(path.join(src, NAME), 'something else');

    const renamed = run(path.join(src, `WW_verify_${CODE} (1).txt`), '--public-dir', pub);
    expect(renamed.status).toBe(1);
    expect(renamed.stderr).toContain('rename it back');

    const wrong = run(path.join(src, NAME), '--public-dir', pub);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`exactly ${CODE}`);

    const missing = run(path.join(src, 'nope.txt'), '--public-dir', pub);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('File not found');

    const none = run();
    expect(none.status).toBe(1);
    expect(existsSync(pub)).toBe(false);
  });
});
