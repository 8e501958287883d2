import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-static';

/**
 * @wecom/jssdk's global build (it defines `window.ww`), which the sidebar's inline boot script uses before the
 * page's own JavaScript has loaded; the page then takes over that same SDK instance.
 */
export async function GET(): Promise<Response> {
  const file = path.join(process.cwd(), 'node_modules/@wecom/jssdk/dist/wecom.global.prod.js');
  return new Response(await readFile(file), {
    headers: {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
    },
  });
}
