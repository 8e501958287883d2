'use client';

import { useEffect, useState } from 'react';
import { Button, ButtonLink, StateMessage } from '@/components/ui';
import {
  permissionFixMessage,
  sdkErrorMessage,
  type PermissionCause,
  type SdkError,
  type SdkMessage,
} from '@/lib/jssdk-client';
import { api, type ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import { reloginHref } from './api';
import { messages } from './i18n';
import styles from './sidebar.module.css';

/**
 * A failed call of our own API: each status gets its own state (401, 403, 404 not found, 410 no longer available,
 * 400, 502 config, 5xx/network), and an errcode the server has no rule for gets its number and WeCom's link.
 */
export function ApiErrorState({
  error,
  lang,
  onRetry,
  retrying,
}: {
  error: ApiError;
  lang: Lang;
  onRetry: () => void;
  retrying: boolean;
}) {
  const t = messages(lang);
  const retry = (
    <Button variant="primary" onClick={onRetry} disabled={retrying}>
      {retrying ? t.retrying : t.retry}
    </Button>
  );
  // An errcode the server has no rule for: its number and WeCom's page for it, not a guessed fix.
  const unknown = /^wecom_unknown_(-?\d+)$/.exec(error.code);
  if (unknown) {
    const href = `https://open.work.weixin.qq.com/devtool/query?e=${unknown[1]}`;
    return (
      <StateMessage state="wecom-unknown" tone="error" title={t.unknownErrcodeTitle} actions={retry}>
        <p>{error.userMessage[lang]}</p>
        <p>
          <a href={href} target="_blank" rel="noopener noreferrer" data-testid="errcode-link">
            {t.errcodeLink} {unknown[1]}
          </a>
        </p>
      </StateMessage>
    );
  }
  switch (error.status) {
    case 401:
      return (
        <StateMessage
          state="session-expired"
          tone="warn"
          title={t.sessionTitle}
          actions={
            <ButtonLink variant="primary" href={reloginHref()}>
              {t.relogin}
            </ButtonLink>
          }
        >
          <p>{t.sessionBody}</p>
        </StateMessage>
      );
    case 403:
      return (
        <StateMessage state="forbidden" tone="warn" title={t.forbiddenTitle}>
          <p>{error.userMessage[lang]}</p>
        </StateMessage>
      );
    case 404:
      return (
        <StateMessage state="not-found" tone="warn" title={t.notFoundTitle}>
          <p>{error.userMessage[lang]}</p>
        </StateMessage>
      );
    case 410:
      return (
        <StateMessage state="gone" tone="warn" title={t.goneTitle}>
          <p>{error.userMessage[lang]}</p>
        </StateMessage>
      );
    case 400:
      return (
        <StateMessage state="bad-request" tone="error" title={t.badRequestTitle}>
          <p>{error.userMessage[lang]}</p>
        </StateMessage>
      );
    case 502:
      return (
        <StateMessage state="configuration" tone="error" title={t.configTitle} actions={retry}>
          <p>{error.userMessage[lang]}</p>
        </StateMessage>
      );
    default:
      return (
        <StateMessage state="upstream" tone="error" title={t.upstreamTitle} actions={retry}>
          <p>{error.status === 0 ? t.networkError : error.userMessage[lang] || t.upstreamBody}</p>
        </StateMessage>
      );
  }
}

/** Opened in a plain browser: nothing to register, say where the page works (and, in demo mode, the simulator). */
export function NotInWeComState({ lang, demo }: { lang: Lang; demo: boolean }) {
  const t = messages(lang);
  const title = { zh: '请在企业微信客户端中打开', en: 'Open this page inside the WeCom client' };
  const body = {
    zh: '本页面是企业微信聊天工具栏应用，需要在企业微信的客户单聊或客户群聊中打开。',
    en: 'This is a WeCom chat-toolbar page: open it from a customer chat or a customer group chat in WeCom.',
  };
  return (
    <StateMessage
      state="sdk-not-wecom"
      tone="info"
      title={lang === 'en' ? title.en : `${title.zh} / ${title.en}`}
      actions={
        demo ? (
          <ButtonLink variant="primary" href="/simulator" target="_top">
            {t.openSimulator}
          </ButtonLink>
        ) : null
      }
    >
      <p>{body[lang]}</p>
      {demo ? (
        <p>
          {lang === 'en'
            ? 'Demo mode: the simulator shows this page inside an emulated WeCom window.'
            : '演示模式：可在模拟器中以企业微信窗口的方式体验本页面。'}
        </p>
      ) : null}
    </StateMessage>
  );
}

/**
 * After the client refused a customer-contact API, asks our server which setting is missing (the client's reply
 * does not say): the app in 客户联系 → 可调用应用, the member's 客户联系 feature, or the app's visible range.
 */
function usePermissionCause(active: boolean): PermissionCause | null {
  const [cause, setCause] = useState<PermissionCause | null>(null);
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    api.get<{ cause?: PermissionCause }>('/api/jssdk/permission').then(
      (body) => !cancelled && setCause(body.cause ?? 'unknown'),
      () => !cancelled && setCause('unknown'),
    );
    return () => {
      cancelled = true;
    };
  }, [active]);
  return cause;
}

/** A failure of the WeCom client side: too old, agentConfig, permission, context, timeout. */
export function SdkErrorState({ error, lang, demo }: { error: SdkError; lang: Lang; demo: boolean }) {
  const t = messages(lang);
  const diagnose = error.kind === 'no-permission';
  const cause = usePermissionCause(diagnose);
  if (error.kind === 'not-wecom') return <NotInWeComState lang={lang} demo={demo} />;
  const m: SdkMessage =
    diagnose && cause && cause !== 'unknown' ? permissionFixMessage(cause) : sdkErrorMessage(error);
  const devtool = error.devtoolUrl;
  return (
    <div data-permission-cause={diagnose ? (cause ?? 'pending') : undefined} style={{ display: 'contents' }}>
      <StateMessage
        state={`sdk-${error.kind}`}
        tone={error.kind === 'without-context' ? 'info' : 'error'}
        title={m.title[lang]}
        detail={error.errMsg}
        actions={<Button onClick={() => location.reload()}>{t.reload}</Button>}
      >
        <p>{m.body[lang]}</p>
        {m.adminChecks ? (
          <ul className={styles.checks}>
            {m.adminChecks.map((c) => (
              <li key={c.en}>{c[lang]}</li>
            ))}
          </ul>
        ) : null}
        {devtool ? (
          <p data-testid="sdk-errcode">
            {lang === 'en' ? 'Error code ' : '错误码 '}
            {error.errcode} ·{' '}
            <a href={devtool} target="_blank" rel="noreferrer">
              {lang === 'en' ? 'look it up on WeCom' : '在企业微信开发者中心查询'}
            </a>
          </p>
        ) : null}
      </StateMessage>
    </div>
  );
}
