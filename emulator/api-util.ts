import type { Ctx } from './context';
import { wecomError } from './http';

/** The app behind an access_token. */
export interface Auth {
  agentId: string;
  /** The token is a third-party app's corp token: member names come back as userids (ww-open-data shows them). */
  thirdParty: boolean;
}

export const err = (ctx: Ctx, code: number, text?: string, extra?: Record<string, unknown>) =>
  wecomError(code, ctx.ip, ctx.now, text, extra);

export const invalidParam = (ctx: Ctx, name: string) => err(ctx, 40058, `invalid param '${name}'`);

/** A JSON object body (empty body = {}); anything else answers 40058. */
export async function readJson(ctx: Ctx): Promise<Record<string, unknown> | Response> {
  const text = await ctx.req.text();
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  return invalidParam(ctx, 'body');
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
