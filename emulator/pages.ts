import { avatarUrl, type Ctx } from './context';
import { escapeHtml, html, randomString, redirect } from './http';
import { CODE_TTL_MS, inVisibleRange, type CodeRecord } from './state';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;
background:#f2f3f5;color:#1f2329}header{background:#fff;border-bottom:1px solid #e5e6eb;padding:12px 20px;display:flex;
align-items:center;gap:8px;font-weight:600}header .logo{width:24px;height:24px;border-radius:6px;background:#0082ef;color:#fff;
display:grid;place-items:center;font-size:14px}main{max-width:440px;margin:40px auto;background:#fff;border-radius:8px;
padding:32px 28px;box-shadow:0 1px 4px rgba(0,0,0,.06);text-align:center}h1{font-size:18px;margin:12px 0}p{color:#646a73;
font-size:14px;line-height:1.6}.icon{width:64px;height:64px;border-radius:50%;margin:0 auto;display:grid;place-items:center;
font-size:32px;color:#fff}.warn{background:#f54a45}.app{background:#0082ef}button,.btn{display:block;width:100%;padding:11px;
border-radius:6px;border:1px solid #d0d3d6;background:#fff;font-size:15px;margin-top:12px;cursor:pointer;color:#1f2329;
text-decoration:none}button.primary{background:#0082ef;border-color:#0082ef;color:#fff}.who{display:flex;align-items:center;
gap:12px;justify-content:center;margin:16px 0}.who img{width:40px;height:40px;border-radius:50%}ul{list-style:none;padding:0;
margin:16px 0 0;text-align:left}li{margin:8px 0}.emp{display:flex;align-items:center;gap:12px;width:100%;padding:10px 12px;
margin:0;text-align:left}.emp img{width:36px;height:36px;border-radius:50%}.emp small{display:block;color:#8f959e;font-size:12px}
.emp.current{border-color:#0082ef;background:#eef6ff}.code{font-family:monospace;font-size:12px;color:#8f959e}
.scope{background:#f5f6f7;border-radius:6px;padding:12px;text-align:left;font-size:13px;color:#646a73}
`;

function page(title: string, body: string): Response {
  return html(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>` +
      `<header><span class="logo">企</span>企业微信</header><main>${body}</main></body></html>`,
  );
}

/** WeCom's error page (shown instead of redirecting with a code). */
export function errorPage(heading: string, detail: string, errcode?: number): Response {
  return page(
    '企业微信',
    `<div class="icon warn">!</div><h1 data-testid="wecom-error">${escapeHtml(heading)}</h1>` +
      `<p>${escapeHtml(detail)}</p>` +
      (errcode ? `<p class="code">错误码：${errcode}</p>` : ''),
  );
}

function hiddenFields(params: URLSearchParams, skip: string[]): string {
  let out = '';
  for (const [k, v] of params) {
    if (skip.includes(k)) continue;
    out += `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`;
  }
  return out;
}

/** GET query merged with an urlencoded/multipart POST body. */
async function params(ctx: Ctx): Promise<URLSearchParams> {
  const merged = new URLSearchParams(ctx.url.search);
  if (ctx.req.method === 'POST') {
    try {
      const form = await ctx.req.formData();
      for (const [k, v] of form) if (typeof v === 'string') merged.set(k, v);
    } catch {
      // no form body
    }
  }
  return merged;
}

function issueCode(ctx: Ctx, record: Omit<CodeRecord, 'expiresAt' | 'used'>): string {
  const code = randomString(32);
  ctx.state.codes.set(code, { ...record, expiresAt: ctx.now + CODE_TTL_MS, used: false });
  return code;
}

function withCode(redirectUri: URL, code: string | null, state: string): string {
  const target = new URL(redirectUri.toString());
  target.hash = '';
  if (target.searchParams.has('code')) target.searchParams.delete('code');
  if (target.searchParams.has('state')) target.searchParams.delete('state');
  const added =
    (code !== null ? `code=${encodeURIComponent(code)}&` : '') + `state=${encodeURIComponent(state)}`;
  return `${target.origin}${target.pathname}${target.search ? `${target.search}&` : '?'}${added}`;
}

type Checked = { redirectUri: URL; agentId: string | null; state: string } | Response;

function checkCommon(ctx: Ctx, p: URLSearchParams, agentRequired: boolean): Checked {
  const appid = p.get('appid');
  if (appid !== ctx.state.corp.corpId) {
    return errorPage('appid 参数错误', '请确认 appid 为企业的 CorpID。', 40013);
  }
  const agentid = p.get('agentid');
  if (agentid && !ctx.state.apps.some((a) => a.agentId === agentid)) {
    return errorPage('agentid 参数错误', '应用不存在或已停用，请检查 agentid。', 40056);
  }
  if (agentRequired && !agentid) return errorPage('agentid 参数错误', '请提供应用的 agentid。', 40056);
  const raw = p.get('redirect_uri');
  let redirectUri: URL | null = null;
  try {
    redirectUri = raw ? new URL(raw) : null;
  } catch {
    redirectUri = null;
  }
  if (!redirectUri || (redirectUri.protocol !== 'http:' && redirectUri.protocol !== 'https:')) {
    return errorPage('redirect_uri 参数错误', '请检查 redirect_uri 是否为完整的 URL 并已 URL 编码。', 50001);
  }
  if (!ctx.trustedDomains.includes(redirectUri.host)) {
    return errorPage(
      'redirect_uri 参数错误',
      `请在企业微信可信域名下访问：redirect_uri 的域名（${redirectUri.host}）与应用的可信域名不一致。`,
      50001,
    );
  }
  const state = p.get('state') ?? '';
  if (state.length > 128) return errorPage('state 参数错误', 'state 长度不能超过 128 字节。');
  return { redirectUri, agentId: agentid, state };
}

function employeeOrFirst(ctx: Ctx, userid: string | null) {
  return ctx.state.employees.find((e) => e.userid === userid) ?? ctx.state.employees[0]!;
}

/** /connect/oauth2/authorize — in-client OAuth. */
export async function authorize(ctx: Ctx): Promise<Response> {
  const p = await params(ctx);
  const checked = checkCommon(ctx, p, false);
  if (checked instanceof Response) return checked;
  const { redirectUri, agentId, state } = checked;
  if (p.get('response_type') !== 'code')
    return errorPage('response_type 参数错误', 'response_type 固定为 code。');
  const scope = p.get('scope') ?? '';
  if (scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo' && scope !== 'snsapi_userinfo') {
    return errorPage('scope 参数错误', 'scope 应为 snsapi_base 或 snsapi_privateinfo。');
  }
  const user = employeeOrFirst(ctx, ctx.state.client.userId);
  // snsapi_privateinfo without agentid is treated as snsapi_base.
  const privateinfo = scope === 'snsapi_privateinfo' && agentId !== null;
  const visitor = ctx.state.oauthVisitor;
  if (!privateinfo || visitor) {
    // A visitor from outside the corp (set by POST /wecom-emulator/oauth/visitor) gets a code too: the app
    // learns at the exchange that it is not a member.
    const code = issueCode(ctx, {
      userId: visitor ? '' : user.userid,
      ...(visitor
        ? { visitor: { openId: `oVisitor${randomString(12)}`, externalUserId: visitor.externalUserId } }
        : {}),
      agentId,
      kind: 'snsapi_base',
      redirectHost: redirectUri.host,
    });
    return redirect(withCode(redirectUri, code, state));
  }
  // snsapi_privateinfo needs the member inside the app's visible range (DOC 91022); WeCom stops on its own page.
  if (!inVisibleRange(ctx.state, user.userid, agentId ?? undefined)) {
    return errorPage(
      '成员不在权限范围',
      '你不在该应用的可见范围内，请联系企业管理员在管理后台「应用管理 → 应用 → 可见范围」中添加。',
      50002,
    );
  }
  const consent = p.get('consent');
  if (consent === 'allow') {
    const code = issueCode(ctx, {
      userId: user.userid,
      agentId,
      kind: 'snsapi_privateinfo',
      redirectHost: redirectUri.host,
    });
    return redirect(withCode(redirectUri, code, state));
  }
  if (consent === 'deny') return redirect(withCode(redirectUri, null, state));
  const app = ctx.state.apps.find((a) => a.agentId === agentId)!;
  return page(
    '企业微信',
    `<div class="icon app">${escapeHtml([...app.name][0] ?? '应')}</div>` +
      `<h1 data-testid="consent-app">「${escapeHtml(app.name)}」申请获取你的以下信息</h1>` +
      `<div class="scope" data-testid="consent-scope">snsapi_privateinfo：头像、性别、手机号、邮箱等敏感信息<br>` +
      `Your avatar, gender, mobile number and email</div>` +
      `<div class="who"><img alt="" src="${escapeHtml(avatarUrl(ctx, user.userid))}"><span>${escapeHtml(user.name)}</span></div>` +
      `<form method="post" action="/connect/oauth2/authorize">${hiddenFields(p, ['consent'])}` +
      `<button class="primary" type="submit" name="consent" value="allow">同意 / Allow</button>` +
      `<button type="submit" name="consent" value="deny">拒绝 / Deny</button></form>`,
  );
}

/** /wwlogin/sso/login — web (QR) login; an employee picker stands in for scanning the code. */
export async function webLogin(ctx: Ctx): Promise<Response> {
  const p = await params(ctx);
  const loginType = p.get('login_type') ?? 'CorpApp';
  if (loginType !== 'CorpApp') {
    return errorPage('login_type 参数错误', '本企业只支持自建应用登录（login_type=CorpApp）。');
  }
  const checked = checkCommon(ctx, p, true);
  if (checked instanceof Response) return checked;
  const { redirectUri, agentId, state } = checked;
  const chosen = p.get('userid');
  if (chosen) {
    const e = ctx.state.employees.find((x) => x.userid === chosen);
    if (!e) return errorPage('成员不存在', '请选择企业内的成员登录。', 60111);
    const code = issueCode(ctx, {
      userId: e.userid,
      agentId,
      kind: 'web_login',
      redirectHost: redirectUri.host,
    });
    return redirect(withCode(redirectUri, code, state));
  }
  const app = ctx.state.apps.find((a) => a.agentId === agentId)!;
  const current = ctx.state.client.userId;
  const items = ctx.state.employees
    .map(
      (e) =>
        `<li><button type="submit" name="userid" value="${escapeHtml(e.userid)}" class="emp${
          e.userid === current ? ' current' : ''
        }" data-userid="${escapeHtml(e.userid)}"${e.userid === current ? ' aria-current="true"' : ''}>` +
        `<img alt="" src="${escapeHtml(avatarUrl(ctx, e.userid))}"><span>${escapeHtml(e.name)}` +
        `<small>${escapeHtml(e.position)}${e.userid === current ? ' · 当前成员' : ''}</small></span></button></li>`,
    )
    .join('');
  return page(
    '企业微信登录',
    `<h1>企业微信登录</h1><p>登录「${escapeHtml(app.name)}」· ${escapeHtml(ctx.state.corp.name)}</p>` +
      `<p>模拟扫码：选择以哪位成员的身份登录<br>Emulated QR scan: choose who signs in</p>` +
      `<form method="post" action="/wwlogin/sso/login">${hiddenFields(p, ['userid'])}<ul>${items}</ul></form>`,
  );
}
