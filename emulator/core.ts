import { API, runApi } from './cgi';
import { control, scriptResponse } from './control';
import type { Ctx } from './context';
import { onEvent, selfBuiltSink } from './events';
import { callerIp, dropResponse, errText, json, notFound, sleep, wecomError } from './http';
import { chatCompletions, embeddings, models } from './llm';
import { authorize, webLogin } from './pages';
import { createState, resetState, type EmulatorState } from './state';
import { createSuiteEmulator, type SuiteEmulator } from './suite';

export interface EmulatorOptions {
  /** Origin used in avatar URLs; defaults to the origin of each request. */
  publicBaseUrl?: string;
  /** host[:port] values accepted as OAuth redirect_uri / JS-SDK page hosts. */
  trustedDomains?: string[];
  /** Base clock in ms (POST /wecom-emulator/clock adds an offset on top). */
  now?: () => number;
  /** The third-party (suite) side and the second demo corp; false for that corp's own backend. */
  suite?: boolean;
}

export interface Emulator {
  handle(req: Request, meta?: { ip?: string }): Promise<Response>;
  state: EmulatorState;
  reset(): void;
  suite?: SuiteEmulator;
}

/** Counter keys that are not `/cgi-bin/` APIs but take faults and counters too. */
const EXTRA_KEYS = new Set(['bridge/verify']);

async function applyFaults(ctx: Ctx, key: string, isApi: boolean): Promise<Response | null> {
  const state = ctx.state;
  const fault = state.faults.find((f) => f.api === key || f.api === '*');
  if (!fault) return null;
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) state.faults = state.faults.filter((f) => f !== fault);
  }
  if (fault.latencyMs) await sleep(fault.latencyMs);
  if (fault.drop) return dropResponse();
  if (fault.httpStatus && fault.httpStatus !== 200) {
    if (fault.errcode !== undefined) {
      const res = wecomError(fault.errcode, ctx.ip, ctx.now);
      return new Response(res.body, { status: fault.httpStatus, headers: res.headers });
    }
    const title = `${fault.httpStatus} ${fault.httpStatus >= 500 ? 'Bad Gateway' : 'Error'}`;
    return new Response(
      `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`,
      {
        status: fault.httpStatus,
        headers: { 'content-type': 'text/html', server: 'nginx' },
      },
    );
  }
  if (fault.errcode !== undefined) {
    if (!isApi)
      return json({ ok: false, errMsg: `${key}:fail ${errText(fault.errcode)}`, errCode: fault.errcode });
    return wecomError(fault.errcode, ctx.ip, ctx.now);
  }
  return null;
}

export function createEmulator(opts: EmulatorOptions = {}): Emulator {
  const baseClock = opts.now ?? Date.now;
  const trustedDomains = opts.trustedDomains ?? [];
  const state = createState(baseClock());
  const now = () => baseClock() + state.clockOffsetMs;
  onEvent(state, selfBuiltSink(state));
  const suite =
    opts.suite === false
      ? undefined
      : createSuiteEmulator({
          now,
          publicBaseUrl: opts.publicBaseUrl,
          trustedDomains,
          primary: state,
          createBackend: () => createEmulator({ ...opts, suite: false }),
          applyFaults: (req, api) =>
            applyFaults(
              {
                state,
                req,
                url: new URL(req.url),
                now: now(),
                ip: callerIp(req),
                base: (opts.publicBaseUrl ?? new URL(req.url).origin).replace(/\/$/, ''),
                trustedDomains,
              },
              api,
              true,
            ),
        });
  const reset = () => {
    resetState(state, baseClock());
    suite?.reset();
  };

  async function handle(req: Request, meta: { ip?: string } = {}): Promise<Response> {
    const suiteAnswer = await suite?.handle(req, meta);
    if (suiteAnswer) return suiteAnswer;
    const url = new URL(req.url);
    const ctx: Ctx = {
      state,
      req,
      url,
      now: now(),
      ip: callerIp(req, meta.ip),
      base: (opts.publicBaseUrl ?? url.origin).replace(/\/$/, ''),
      trustedDomains,
    };
    const p = url.pathname;
    if (p.startsWith('/cgi-bin/')) {
      const api = p.slice('/cgi-bin/'.length).replace(/\/$/, '');
      if (!API[api]) return notFound();
      state.counters[api] = (state.counters[api] ?? 0) + 1;
      const faulted = await applyFaults(ctx, api, true);
      if (faulted) return faulted;
      ctx.now = now();
      return runApi(ctx, api);
    }
    if (p === '/llm/v1/chat/completions') {
      state.counters['llm/chat/completions'] = (state.counters['llm/chat/completions'] ?? 0) + 1;
      const faulted = await applyFaults(ctx, 'llm/chat/completions', false);
      if (faulted) return faulted;
      return chatCompletions(ctx);
    }
    if (p === '/llm/v1/embeddings') {
      state.counters['llm/embeddings'] = (state.counters['llm/embeddings'] ?? 0) + 1;
      const faulted = await applyFaults(ctx, 'llm/embeddings', false);
      if (faulted) return faulted;
      return embeddings(ctx);
    }
    if (p === '/llm/v1/models') return models();
    if (p === '/wecom-emulator/llm/requests') return json({ requests: state.llmRequests });
    if (p === '/connect/oauth2/authorize') return authorize(ctx);
    if (p === '/wwlogin/sso/login') return webLogin(ctx);
    // WeCom's open-data SDK (jwxwork-1.0.0.js), as the client renders it.
    if (p === '/wwopen/js/jwxwork-1.0.0.js' && (req.method === 'GET' || req.method === 'HEAD')) {
      return scriptResponse('open-data.js');
    }
    if (p.startsWith('/wecom-emulator/')) {
      const sub = p.slice('/wecom-emulator/'.length).replace(/\/$/, '');
      if (EXTRA_KEYS.has(sub) && req.method === 'POST') {
        state.counters[sub] = (state.counters[sub] ?? 0) + 1;
        const faulted = await applyFaults(ctx, sub, false);
        if (faulted) return faulted;
      }
      return control(ctx, sub, reset);
    }
    return notFound();
  }

  return { handle, state, reset, suite };
}
