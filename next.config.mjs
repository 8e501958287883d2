/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets several builds or dev servers of one checkout coexist (tests, benchmarks).
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native and Node-only drivers stay out of the server bundle and load from node_modules.
  serverExternalPackages: ['better-sqlite3', 'ioredis'],
};

export default nextConfig;
