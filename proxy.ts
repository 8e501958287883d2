import { existsSync } from 'node:fs';
import path from 'node:path';
import { NextResponse, type NextRequest } from 'next/server';
import { DEMO_VERIFY_FILE, isDemo } from './lib/config';
import { isVerifyFileName } from './lib/verify-file';

/**
 * WW_verify_*.txt: only the files in public/ are served, and the demo corp's file only in demo mode (in a live
 * deployment it would make the admin's domain check pass for a domain WeCom never verified). Any other such name gets a bare 404, because Next's own
 * not-found page would carry the requested path (and so the code) in its payload, and a page that echoes a
 * code would let anyone "verify" this domain for their own corp.
 */
export function proxy(req: NextRequest) {
  const name = req.nextUrl.pathname.slice(1);
  const servable = isVerifyFileName(name) && (name !== DEMO_VERIFY_FILE || isDemo());
  if (servable && existsSync(path.join(process.cwd(), 'public', name))) return NextResponse.next();
  return new NextResponse('Not Found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export const config = { matcher: ['/(WW_verify_.*)'] };
