import 'server-only';
import { ConfigError, getConfig } from '../config';
import { closeDb } from '../db';
import { logger } from './log';
import { onShutdown } from './shutdown';
import { securityHeaders } from './security-headers';
import { tenancyProfile } from '../wecom/tenancy-profile';

const HEADERS = Symbol.for('wecom-sidebar.security-headers');

/**
 * Reads the configuration once at start-up; a ConfigError (what is missing, in both languages) ends the process.
 * Hands the production server (scripts/server.mjs) the security headers it puts on every response.
 */
export function startUp(): void {
  try {
    const config = getConfig();
    (globalThis as { [HEADERS]?: (nonce: string) => Record<string, string> })[HEADERS] = (nonce) =>
      securityHeaders(config, nonce);
    onShutdown('database', 'close', () => closeDb());
    logger().info({ msg: 'configuration loaded', mode: config.mode, tenancy: tenancyProfile(config).name });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger().fatal({ msg: 'configuration error', detail: err.message });
    console.error(err.message);
    process.exit(1);
  }
}
