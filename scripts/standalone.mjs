// After `next build`: completes the standalone output so that it runs on its own (Next leaves these to us):
// public/ and the static assets beside the server, our server entry (scripts/server.mjs) and the Next config it
// needs.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const distDir = process.env.NEXT_DIST_DIR || '.next';
const standalone = path.join(distDir, 'standalone');
if (!existsSync(path.join(standalone, 'server.js'))) {
  console.error(`No standalone output in ${standalone}: is output: 'standalone' set in next.config.mjs?`);
  process.exit(1);
}
const { config } = JSON.parse(readFileSync(path.join(distDir, 'required-server-files.json'), 'utf8'));

rmSync(path.join(standalone, 'public'), { recursive: true, force: true });
if (existsSync('public')) cpSync('public', path.join(standalone, 'public'), { recursive: true });
rmSync(path.join(standalone, distDir, 'static'), { recursive: true, force: true });
cpSync(path.join(distDir, 'static'), path.join(standalone, distDir, 'static'), { recursive: true });
cpSync(path.join('scripts', 'server.mjs'), path.join(standalone, 'server.mjs'));
writeFileSync(path.join(standalone, 'next-config.json'), JSON.stringify(config));
console.log(`Standalone server ready: node ${path.join(standalone, 'server.mjs')}`);
