import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** The framework's floor: a bare Next.js app with the product's serving settings, built with the repo's next. */
const nextConfig = {
  poweredByHeader: false,
  // Under the repository root so that git, ESLint and tsc ignore it like the app's other .next-* builds.
  distDir: '../../.next-bench-floor',
  turbopack: { root },
};

export default nextConfig;
