// `npm start`: runs the standalone production server of the last build (NEXT_DIST_DIR, default .next) in this
// process, so that signals (SIGTERM) reach it directly. `-p <port>` / `-H <host>` override PORT / HOST.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-p' || args[i] === '--port') process.env.PORT = args[++i];
  else if (args[i] === '-H' || args[i] === '--hostname') process.env.HOST = args[++i];
}
const entry = path.resolve(process.env.NEXT_DIST_DIR || '.next', 'standalone', 'server.mjs');
if (!existsSync(entry)) {
  console.error(
    `没有找到生产构建，请先运行 npm run build / No production build at ${entry}: run npm run build first`,
  );
  process.exit(1);
}
// Relative data paths keep meaning the checkout, not the standalone folder the server runs in.
if (process.env.DATA_DIR) process.env.DATA_DIR = path.resolve(process.env.DATA_DIR);
for (const name of ['STORE_URL', 'DATABASE_URL']) {
  const url = process.env[name];
  if (url?.startsWith('sqlite:') && !/^sqlite:(\/|:memory:)/.test(url))
    process.env[name] = `sqlite:${path.resolve(url.slice('sqlite:'.length))}`;
}
process.env.DATA_DIR ??= path.resolve('.data');
await import(pathToFileURL(entry).href);
