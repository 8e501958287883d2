import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run build` completes <distDir>/standalone (scripts/standalone.mjs); `npm start` runs it.
  output: 'standalone',
  outputFileTracingRoot: path.dirname(fileURLToPath(import.meta.url)),
  // Lets several builds or dev servers of one checkout coexist (tests, benchmarks).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native and Node-only drivers stay out of the server bundle and load from node_modules; so do the logger and
  // the metrics registry, which the production server (scripts/server.mjs) shares with the app.
  serverExternalPackages: [
    'better-sqlite3',
    'ioredis',
    'kysely',
    'pg',
    '@node-rs/jieba',
    'pino',
    'pino-pretty',
    'prom-client',
    'unpdf',
    'exceljs',
    'mammoth',
  ],
  // The sidebar's boot script loads @wecom/jssdk's global build, which a route serves from node_modules.
  outputFileTracingIncludes: {
    '/jssdk/boot.js': ['./node_modules/@wecom/jssdk/dist/wecom.global.prod.js'],
  },
  // The dev request log prints full URLs: keep OAuth codes and (emulated) secrets and tokens out of it.
  // forbidden() answers a signed-in non-admin with a real 403 page.
  experimental: { authInterrupts: true },
  logging: {
    incomingRequests: { ignore: [/^\/api\/auth\/callback/, /^\/cgi-bin\//, /^\/api\/wecom\//] },
  },
};

export default nextConfig;
