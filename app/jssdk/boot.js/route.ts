import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bootFile } from '@/lib/jssdk-client/boot';

export const dynamic = 'force-static';

/**
 * The sidebar's boot script: @wecom/jssdk's global build (it defines `window.ww`) and the boot that starts
 * registration, the context calls and the profile fetch before the page's own JavaScript has loaded.
 */
export async function GET(): Promise<Response> {
  const sdk = await readFile(
    path.join(process.cwd(), 'node_modules/@wecom/jssdk/dist/wecom.global.prod.js'),
    'utf8',
  );
  return new Response(bootFile(sdk), {
    headers: {
      'content-type': 'application/javascript; charset=utf-8',
      // The page asks for it with ?v=<version of the boot and the SDK>.
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
}
