import { loginPath } from '@/lib/auth';
import { getSession, startSession } from '@/lib/session';
import { spendSignIn } from '@/lib/sign-in-state';
import { publicError } from '@/lib/http';
import { redirect, route } from '@/lib/route';
import { isWecomError, wecomErrcodeOf } from '@/lib/wecom/errors';
import { OUTSIDE_VISIBLE_RANGE, STATE_PATTERN, isValidCode } from '@/lib/wecom/oauth';
import { CONSOLE } from '@/lib/console-paths';
import { getTenancy, SignInRefused } from '@/lib/wecom/tenant';
import { authPageResponse, type AuthPage } from '../auth-page';

export const dynamic = 'force-dynamic';

const STATE_MAX_AGE_MS = 10 * 60 * 1000;

const refuse = (
  status: number,
  code: string,
  title: AuthPage['title'],
  detail: AuthPage['detail'],
  returnTo = '/',
) => authPageResponse({ status, code, title, detail, retryHref: loginPath(returnTo) });

/**
 * WeCom sends the browser back here with `code` and our `state`. The state must be one this browser started
 * (lib/sign-in-state.ts), younger than 10 minutes, and is spent on first use (before the exchange, so a failed
 * exchange cannot be replayed either). Only members of the corp get a session.
 */
export const GET = route({ auth: 'none' }, async ({ req }) => {
  const params = new URL(req.url).searchParams;
  const state = params.get('state');
  const code = params.get('code');

  let returnTo = '/';
  try {
    if (!state || !STATE_PATTERN.test(state)) {
      return refuse(
        400,
        'state-missing',
        { zh: '登录请求无效', en: 'Invalid sign-in request' },
        {
          zh: '回调地址缺少有效的 state 参数，可能不是由本应用发起的登录。请重新登录。',
          en: 'The callback has no valid state parameter, so this sign-in was probably not started by this app. Please sign in again.',
        },
      );
    }

    const pending = await spendSignIn(state);
    if (pending.status === 'unknown') {
      return refuse(
        400,
        'state-unknown',
        { zh: '登录链接已使用或已失效', en: 'This sign-in link was already used or has expired' },
        {
          zh: '每个登录链接只能使用一次。如果你刚刚已登录，请直接返回应用；也可能是浏览器未保存 Cookie，或打开的地址与应用地址不一致。',
          en: 'Each sign-in link works only once. If you have just signed in, go back to the app; otherwise your browser may have dropped the cookie, or the app was opened under a different address.',
        },
      );
    }
    if (pending.status === 'mismatch') {
      return refuse(
        400,
        'state-mismatch',
        { zh: '登录校验失败', en: 'Sign-in check failed' },
        {
          zh: '登录回调中的 state 与本浏览器发起的登录不一致（可能打开了旧的或他人的登录链接）。为了安全，本次登录已被拒绝。',
          en: 'The state in the callback does not match the sign-in this browser started (an old or someone else’s link). For your safety this sign-in was refused.',
        },
      );
    }
    returnTo = pending.returnTo;
    const session = await getSession();

    if (!Number.isFinite(pending.createdAt) || Date.now() - pending.createdAt > STATE_MAX_AGE_MS) {
      return refuse(
        400,
        'state-expired',
        { zh: '登录已超时', en: 'Sign-in timed out' },
        {
          zh: '从发起登录到返回应用超过了 10 分钟，请重新登录。',
          en: 'More than 10 minutes passed between starting the sign-in and coming back. Please sign in again.',
        },
        returnTo,
      );
    }
    if (!isValidCode(code)) {
      return refuse(
        400,
        'code-missing',
        { zh: '未完成授权', en: 'Sign-in was not completed' },
        {
          zh: '企业微信没有返回登录码，可能是取消了授权。请重新登录。',
          en: 'WeCom returned no login code; the sign-in may have been cancelled. Please sign in again.',
        },
        returnTo,
      );
    }

    // Only members of a served corp (and of the page's corp, `?corpid=`, when it names one) get a session.
    const pageCorpId = new URL(returnTo, 'http://return-to.invalid').searchParams.get('corpid');
    await startSession(session, await getTenancy().signIn(code, pageCorpId));
    // A redirect without a fragment inherits the previous one (`#wechat_redirect` from the authorize URL);
    // an explicit, possibly empty, fragment stops that.
    const location = returnTo.includes('#') ? returnTo : `${returnTo}#`;
    return redirect(location, 303);
  } catch (err) {
    if (err instanceof SignInRefused) {
      return refuse(err.status, err.code, err.title, err.detail, err.returnTo ?? returnTo);
    }
    if (isWecomError(err, 40029)) {
      return refuse(
        400,
        'code-invalid',
        { zh: '登录码已失效或已被使用', en: 'This login code has expired or was already used' },
        {
          zh: '企业微信的登录码只能使用一次，且 5 分钟内有效。请重新登录。',
          en: 'A WeCom login code works once and only for 5 minutes. Please sign in again.',
        },
        returnTo,
      );
    }
    const outside = wecomErrcodeOf(err);
    if (outside !== undefined && OUTSIDE_VISIBLE_RANGE.has(outside)) {
      return refuse(
        403,
        'outside-visible-range',
        { zh: '你不在本应用的可见范围内', en: "You are outside this app's visible range" },
        {
          zh: `企业微信只允许可见范围内的成员使用本应用。请企业管理员在 ${CONSOLE.visibleRange.zh} 中加入你或你所在的部门，然后重新打开应用。（错误码 ${outside}）`,
          en: `WeCom lets only members inside the app's visible range use it. Ask your organisation's admin to add you or your department under ${CONSOLE.visibleRange.en}, then open the app again. (errcode ${outside})`,
        },
        returnTo,
      );
    }
    // A browser on a navigation: the one error mapping, rendered as a page that can sign in again.
    const pub = publicError(err);
    if (pub.code === 'internal') {
      return authPageResponse({
        status: 500,
        code: 'internal',
        title: { zh: '登录失败', en: 'Sign-in failed' },
        detail: { zh: '服务器内部错误，请稍后重试。', en: 'Internal server error, please try again later.' },
        retryHref: loginPath(returnTo),
      });
    }
    return refuse(
      pub.status,
      isWecomError(err) ? `wecom-${err.errcode}` : pub.code,
      { zh: '企业微信登录失败', en: 'WeCom sign-in failed' },
      pub.userMessage,
      returnTo,
    );
  }
});
