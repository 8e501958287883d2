import 'server-only';
import type { AppConfig } from '../config';
import { tenancyProfile } from '../wecom/tenancy-profile';

/** WeCom's own frames that @wecom/jssdk opens in live mode (open data, the JS-API transparent frame). */
const WECOM_FRAMES = ['https://open.work.weixin.qq.com', 'https://login.work.weixin.qq.com'];

/**
 * The security headers of every response, with a fresh nonce per request. Next.js puts that nonce on its own
 * inline scripts (it reads it from the request's Content-Security-Policy header, which the production server
 * sets); pages that need an inline script of their own read it with `headers().get('x-nonce')`.
 *
 * - scripts: this origin and the nonce; never `unsafe-eval` or `unsafe-inline`.
 * - frames: demo mode lets this origin frame the app (the simulator embeds /sidebar); live mode lets no one.
 * - HSTS when APP_BASE_URL is https.
 */
export function securityHeaders(config: AppConfig, nonce: string): Record<string, string> {
  const demo = config.mode === 'demo';
  const liveOrigins = [config.loginBase, config.oauthBase]
    .map((u) => new URL(u).origin)
    .filter((o) => !demo && o !== new URL(config.appBaseUrl).origin);
  const frameSrc = demo ? ["'self'"] : ["'self'", ...new Set([...WECOM_FRAMES, ...liveOrigins])];
  // Avatars come from WeCom's CDN (https) or, against an emulator, from its origin.
  const imgSrc = ["'self'", 'data:', 'blob:', 'https:', ...(demo ? [] : [new URL(config.apiBase).origin])];
  // Third-party mode loads WeCom's open-data SDK (jwxwork-1.0.0.js) from open.work.weixin.qq.com.
  const openData = tenancyProfile(config).openDataScript;
  const scriptSrc = ["'self'", `'nonce-${nonce}'`, ...(openData && !demo ? [new URL(openData).origin] : [])];
  const csp = [
    "default-src 'self'",
    `script-src ${scriptSrc.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src ${[...new Set(imgSrc)].join(' ')}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameSrc.join(' ')}`,
    `frame-ancestors ${demo ? "'self'" : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  const headers: Record<string, string> = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': demo ? 'SAMEORIGIN' : 'DENY',
  };
  if (config.appBaseUrl.startsWith('https:')) {
    headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  }
  return headers;
}
