import 'server-only';
import { clientIp, enforceLimit, type LimitName } from './ops/rate-limit';
import type { z } from 'zod';
import { currentUser, isAdmin } from './auth';
import { getConfig } from './config';
import type { CustomerProfile } from './contacts-dto';
import { errorResponse, forbidden, HttpError, invalidInput, publicError, unauthorized } from './http';
import type { SessionUser } from './session';
import { getCustomerForUser } from './wecom/contacts';
import { corpFor, type Corp } from './wecom/tenant';

/**
 * The one way to write an app/api route: who may call it, what it accepts, and its business logic; everything
 * else happens here, once.
 *
 * - `auth`: `'none'`; `'user'` (a signed-in member of a corp this app serves, else 401); `'follower'` (a user who
 *   follows the customer `params.id`, else 403; the handler gets that `customer`); `'admin'` (ADMIN_USERIDS,
 *   else 403); `'admin-change'` (an admin, from our own origin: a cross-site request is refused with 403).
 *   Every level but `'none'` hands the handler the `user` and their `corp` (lib/wecom/tenant.ts).
 * - `params`, `query`, `body`: zod schemas. A failure is a bilingual 400 naming the field (`invalid_query`, …).
 *   A `body` must be `application/json` (415 otherwise; 400 for JSON that does not parse).
 * - The handler returns what to answer: a value → JSON (`status`, default 200), `undefined` → 204, a `Response`
 *   → sent as it is (redirects, the raw text/XML of WeCom callbacks). Every JSON answer is `no-store`.
 * - Anything thrown goes through `publicError()` (lib/http.ts): HttpError and `toPublic()` errors (WecomError →
 *   its HTTP error, store failures → 503) as they say, ZodError → 400, anything else a 500 without details.
 *   `errors` renders them differently (the sign-in routes answer HTML pages); the default is JSON.
 *
 * @example
 * // app/api/contacts/[id]/notes/route.ts
 * export const dynamic = 'force-dynamic';
 * const Params = z.object({ id: z.string().regex(EXTERNAL_USER_ID_PATTERN, '客户 ID 格式不正确 / Malformed id') });
 * const Body = z.object({ text: z.string().trim().min(1).max(2000) });
 *
 * export const GET = route({ auth: 'follower', params: Params }, ({ corp, customer }) =>
 *   listNotes(corp, customer.externalUserId),
 * );
 * export const POST = route(
 *   { auth: 'follower', params: Params, body: Body, status: 201 },
 *   async ({ corp, user, params, body }) => ({ item: await addNote(corp, params.id, user.userId, body.text) }),
 * );
 */
export function route<
  A extends RouteAuth,
  P extends ParamsSchema<A> | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B>, handler: (ctx: RouteContext<A, P, Q, B>) => unknown): RouteHandler {
  return async (req, segment) => {
    try {
      const member = spec.auth === 'none' ? undefined : await authenticate(spec.auth);
      if (spec.sameOrigin ?? spec.auth === 'admin-change') assertSameOrigin(req);
      if (spec.limit) await enforceLimit(spec.limit, { ip: clientIp(req), user: member?.user });
      const params = spec.params ? parse('params', spec.params, (await segment?.params) ?? {}) : undefined;
      const query = spec.query
        ? parse('query', spec.query, Object.fromEntries(new URL(req.url).searchParams))
        : undefined;
      const body = spec.body ? parse('body', spec.body, await readJson(req)) : undefined;
      let customer: CustomerProfile | undefined;
      if (spec.auth === 'follower') {
        const id = (params as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string') throw new Error('route: auth "follower" needs params with an id');
        customer = await getCustomerForUser(member!.user.userId, id, { client: member!.corp.wecom });
      }
      const ctx = { req, params, query, body, ...member, customer } as RouteContext<A, P, Q, B>;
      return answer(await handler(ctx), spec.status);
    } catch (err) {
      return spec.errors ? spec.errors(publicError(err), req) : errorResponse(err, req);
    }
  };
}

export type RouteAuth = 'none' | 'user' | 'follower' | 'admin' | 'admin-change';

export interface RouteSpec<A extends RouteAuth, P, Q, B> {
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The status of a JSON answer (default 200). */
  status?: number;
  /** Refuse cross-site requests (default: only for `'admin-change'`; sign-out sets it too). */
  sameOrigin?: boolean;
  /** Rate limits (lib/ops/rate-limit.ts) per member and per IP, counted in the store across instances. */
  limit?: LimitName;
  /** How errors are answered when JSON is useless (a browser navigation); the mapping stays `publicError()`. */
  errors?: (err: HttpError, req: Request) => Response;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type ParamsSchema<A> = A extends 'follower' ? z.ZodType<{ id: string }> : z.ZodType;

interface Member {
  user: SessionUser;
  corp: Corp;
}

export type RouteContext<A extends RouteAuth, P, Q, B> = {
  req: Request;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
} & (A extends 'none' ? unknown : Member) &
  (A extends 'follower' ? { customer: CustomerProfile } : unknown);

/** What Next.js calls: the request and the dynamic segments of the path. */
export type RouteHandler = (
  req: Request,
  segment?: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

const NO_STORE = { 'cache-control': 'no-store' };

/** A redirect that no cache keeps. */
export function redirect(location: string | URL, status: 301 | 302 | 303 | 307 | 308 = 302): Response {
  return new Response(null, { status, headers: { location: String(location), ...NO_STORE } });
}

function answer(result: unknown, status = 200): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new Response(null, { status: 204, headers: NO_STORE });
  return Response.json(result, { status, headers: NO_STORE });
}

function parse<S extends z.ZodType>(
  part: 'params' | 'query' | 'body',
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw invalidInput(part, result.error);
  return result.data;
}

async function authenticate(auth: Exclude<RouteAuth, 'none'>): Promise<Member> {
  const user = await currentUser();
  if (!user) throw unauthorized();
  if ((auth === 'admin' || auth === 'admin-change') && !isAdmin(user)) {
    throw forbidden({
      zh: '仅管理员（ADMIN_USERIDS）可以访问',
      en: 'Only admins (ADMIN_USERIDS) may do this',
    });
  }
  return { user, corp: await corpFor(user.corpId) };
}

/**
 * Changes come only from our own pages. Browsers mark cross-site requests with Sec-Fetch-Site and send Origin on
 * every POST; a cross-site form post would otherwise still carry our SameSite=Lax cookie on top-level navigations
 * and receive Set-Cookie.
 */
function assertSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  const same =
    req.headers.get('sec-fetch-site') !== 'cross-site' &&
    (origin === null ||
      origin === new URL(getConfig().appBaseUrl).origin ||
      origin === new URL(req.url).origin);
  if (!same) throw forbidden({ zh: '拒绝跨站请求', en: 'Cross-site request refused' });
}

async function readJson(req: Request): Promise<unknown> {
  if (!(req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', {
      zh: '请求体必须是 JSON',
      en: 'The request body must be JSON',
    });
  }
  try {
    return await req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', {
      zh: '请求体不是有效的 JSON',
      en: 'The request body is not valid JSON',
    });
  }
}
