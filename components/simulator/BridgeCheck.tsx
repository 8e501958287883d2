'use client';

import * as ww from '@wecom/jssdk';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api } from '@/lib/api-client';
import type { JssdkSignatures } from '@/lib/wecom/jssdk';
import styles from './bridge-check.module.css';

type Step = { state: 'pending' } | { state: 'ok'; value: string } | { state: 'fail'; value: string };

const JS_API_LIST = ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage'];
const TIMEOUT_MS = 10_000;

function errMsgOf(error: unknown): string {
  if (error && typeof error === 'object' && 'errMsg' in error)
    return String((error as { errMsg: unknown }).errMsg);
  return error instanceof Error ? error.message : String(error);
}

// Outside a WeCom client ww.* promises never settle; a diagnostics page must not wait forever.
function withTimeout<T>(promise: Promise<T>, name: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${name}: timeout`)), TIMEOUT_MS)),
  ]);
}

const fetchSignatures = (url: string) => api.get<JssdkSignatures>('/api/jssdk/signature', { query: { url } });

const noopSubscribe = () => () => {};

function Row({ label, step, testId }: { label: string; step: Step; testId: string }) {
  return (
    <div className={styles.row}>
      <dt>{label}</dt>
      <dd data-testid={testId} data-state={step.state} className={styles[step.state]}>
        {step.state === 'pending' ? '…' : step.value}
      </dd>
    </div>
  );
}

export default function BridgeCheck({ userId }: { userId: string }) {
  const [agentConfig, setAgentConfig] = useState<Step>({ state: 'pending' });
  const [entry, setEntry] = useState<Step>({ state: 'pending' });
  const [target, setTarget] = useState<Step>({ state: 'pending' });
  const [sent, setSent] = useState<Step | null>(null);
  const [text, setText] = useState('你好，这是一条来自侧边栏的测试消息。');
  const started = useRef(false);
  // The server render knows nothing of the client; read the SDK's environment after hydration only.
  const isWeCom = useSyncExternalStore(
    noopSubscribe,
    () => String(ww.env.isWeCom),
    () => '…',
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      if (!ww.env.isWeCom) {
        const msg = '不在企业微信中 / not inside WeCom';
        setAgentConfig({ state: 'fail', value: msg });
        setEntry({ state: 'fail', value: msg });
        setTarget({ state: 'fail', value: msg });
        return;
      }
      let first: JssdkSignatures;
      const signedUrl = window.location.href.split('#')[0] ?? '';
      try {
        first = await fetchSignatures(signedUrl);
      } catch (e) {
        setAgentConfig({ state: 'fail', value: errMsgOf(e) });
        return;
      }
      const signaturesFor = async (url: string) => (url === signedUrl ? first : fetchSignatures(url));
      ww.register({
        corpId: first.corpId,
        agentId: Number(first.agentId),
        jsApiList: JS_API_LIST,
        getConfigSignature: async (url) => (await signaturesFor(url)).config,
        getAgentConfigSignature: async (url) => (await signaturesFor(url)).agentConfig,
        onAgentConfigSuccess: (res) => setAgentConfig({ state: 'ok', value: res.errMsg ?? 'agentConfig:ok' }),
        onAgentConfigFail: (err) => setAgentConfig({ state: 'fail', value: errMsgOf(err) }),
      });
      try {
        const context = await withTimeout(ww.getContext(), 'getContext');
        setEntry({ state: 'ok', value: context.entry });
        if (context.entry === 'group_chat_tools') {
          const chat = await withTimeout(ww.getCurExternalChat(), 'getCurExternalChat');
          setTarget({ state: 'ok', value: chat.chatId });
        } else {
          const contact = await withTimeout(ww.getCurExternalContact(), 'getCurExternalContact');
          setTarget({ state: 'ok', value: contact.userId });
        }
      } catch (e) {
        const msg = errMsgOf(e);
        setEntry((s) => (s.state === 'pending' ? { state: 'fail', value: msg } : s));
        setTarget({ state: 'fail', value: msg });
        setAgentConfig((s) => (s.state === 'pending' ? { state: 'fail', value: msg } : s));
      }
    })();
  }, []);

  async function send() {
    setSent({ state: 'pending' });
    try {
      const res = await withTimeout(
        ww.sendChatMessage({ msgtype: 'text', text: { content: text } }),
        'sendChatMessage',
      );
      setSent({ state: 'ok', value: res.errMsg ?? 'sendChatMessage:ok' });
    } catch (e) {
      setSent({ state: 'fail', value: errMsgOf(e) });
    }
  }

  return (
    <main className={styles.page}>
      <h1 className={styles.title}>JS-SDK 自检 · Bridge check</h1>
      <p className={styles.hint}>
        未修改的 @wecom/jssdk 在当前客户端中注册并读取上下文。The unmodified @wecom/jssdk registers and reads
        the chat context.
      </p>
      <dl className={styles.list}>
        <div className={styles.row}>
          <dt>登录员工 Signed in</dt>
          <dd data-testid="session-user">{userId}</dd>
        </div>
        <div className={styles.row}>
          <dt>企业微信 isWeCom</dt>
          <dd data-testid="is-wecom">{isWeCom}</dd>
        </div>
        <Row label="agentConfig" step={agentConfig} testId="agent-config" />
        <Row label="getContext entry" step={entry} testId="entry" />
        <Row label="userId / chatId" step={target} testId="context-id" />
      </dl>
      <div className={styles.send}>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={2}
          aria-label="消息 / Message"
        />
        <button type="button" onClick={send} disabled={!text.trim()} data-testid="send-message">
          发送到当前聊天 Send to chat
        </button>
        {sent ? (
          <div data-testid="send-result" data-state={sent.state} className={styles[sent.state]}>
            {sent.state === 'pending' ? '…' : sent.value}
          </div>
        ) : null}
      </div>
    </main>
  );
}
