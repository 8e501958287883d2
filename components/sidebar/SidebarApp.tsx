'use client';

import dynamic from 'next/dynamic';
import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import useSWR from 'swr';
import { ButtonLink, Skeleton, StateMessage } from '@/components/ui';
import type { CustomerProfile, GroupChatDto } from '@/lib/contacts-dto';
import {
  bootSettled,
  clearBootPaint,
  connectWeCom,
  contactPath,
  GROUP_ENTRY,
  groupChatPath,
  ATTACHMENT_ENTRY,
  SdkError,
  SINGLE_ENTRIES,
  toSdkError,
  type InitialSignatures,
  type WeComClient,
} from '@/lib/jssdk-client';
import type { ApiError } from '@/lib/api-client';
import { CustomerProfileCard } from './CustomerProfileCard';
import { GroupChatCard, type OpenDataApp } from './GroupChatCard';
import type { Lang } from '@/lib/bilingual';
import { messages } from './i18n';
import type { ReplyContext } from './QuickRepliesPanel';
import { sidebarGet } from './api';
import type { ScheduleTarget } from './SchedulePanel';
import { ApiErrorState, SdkErrorState } from './States';
import styles from './sidebar.module.css';

// The panels behind the other tabs load when first opened: the page's first JavaScript is what the profile needs.
const panelLoading = () => <Skeleton lines={4} avatar={false} label="正在加载… · Loading…" />;
const AssistantPanel = dynamic(
  () => import('@/components/assistant/AssistantPanel').then((m) => m.AssistantPanel),
  { ssr: false, loading: panelLoading },
);
const CrmSection = dynamic(() => import('@/components/crm/CrmSection').then((m) => m.CrmSection), {
  ssr: false,
  loading: panelLoading,
});
const QuickRepliesPanel = dynamic(() => import('./QuickRepliesPanel').then((m) => m.QuickRepliesPanel), {
  ssr: false,
  loading: panelLoading,
});
const SchedulePanel = dynamic(() => import('./SchedulePanel').then((m) => m.SchedulePanel), {
  ssr: false,
});

/**
 * How long the page lets the boot script finish showing the name before it renders the chat view itself (the boot's
 * fetch is the one the view then reads, so waiting costs nothing).
 */
const BOOT_WAIT_MS = 2000;

export interface SidebarAppProps {
  corpId: string;
  agentId: string;
  lang: Lang;
  demo: boolean;
  /** Signatures the server computed for this page's URL (so that the browser does not have to ask), or its error. */
  initialSignatures: InitialSignatures | null;
}

type Phase =
  | { kind: 'connecting' }
  | { kind: 'failed'; error: SdkError }
  | { kind: 'single'; client: WeComClient; entry: string; externalUserId: string }
  | { kind: 'group'; client: WeComClient; entry: string; chatId: string }
  /** Opened from a chat's attachment bar (聊天附件栏): any chat, no customer profile; the library only. */
  | { kind: 'attachment'; client: WeComClient; entry: string }
  | { kind: 'other'; entry: string };

/** The chat-toolbar page: register with WeCom, read the chat context, then show the customer or the group. */
export function SidebarApp({ corpId, agentId, lang, demo, initialSignatures }: SidebarAppProps) {
  const t = messages(lang);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const app = useMemo(() => ({ corpId, agentId }), [corpId, agentId]);

  useEffect(() => {
    let cancelled = false;
    const set = (next: Phase) => {
      if (!cancelled) setPhase(next);
    };
    (async () => {
      try {
        const client = await connectWeCom({ corpId, agentId, initial: initialSignatures ?? undefined });
        const { entry } = await client.getContext();
        if (SINGLE_ENTRIES.includes(entry)) {
          const externalUserId = await client.getCurExternalContact();
          await bootSettled(app, BOOT_WAIT_MS);
          set({ kind: 'single', client, entry, externalUserId });
        } else if (entry === GROUP_ENTRY) {
          const chatId = await client.getCurExternalChat();
          await bootSettled(app, BOOT_WAIT_MS);
          set({ kind: 'group', client, entry, chatId });
        } else if (entry === ATTACHMENT_ENTRY) {
          set({ kind: 'attachment', client, entry });
        } else {
          set({ kind: 'other', entry });
        }
      } catch (err) {
        set({ kind: 'failed', error: toSdkError(err, 'load') });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [corpId, agentId, app, initialSignatures]);

  // Anything but the way to the customer or group view ends the boot's early name.
  useLayoutEffect(() => {
    if (phase.kind === 'failed' || phase.kind === 'other' || phase.kind === 'attachment') clearBootPaint();
  }, [phase.kind]);

  return (
    <main className={styles.shell} lang={lang === 'en' ? 'en' : 'zh-CN'} data-phase={phase.kind}>
      {phase.kind === 'connecting' ? <Skeleton label={t.connecting} /> : null}
      {phase.kind === 'failed' ? <SdkErrorState error={phase.error} lang={lang} demo={demo} /> : null}
      {phase.kind === 'other' ? (
        <StateMessage
          state="normal-entry"
          title={t.normalTitle}
          actions={
            <ButtonLink variant="primary" href="/workbench" target="_top">
              {t.openWorkbench}
            </ButtonLink>
          }
        >
          <p>{t.normalBody}</p>
        </StateMessage>
      ) : null}
      {phase.kind === 'attachment' ? (
        <div className={styles.panel} data-testid="attachment-library">
          <QuickRepliesPanel
            context={{ entry: 'attachment' }}
            lang={lang}
            client={phase.client}
            entry={phase.entry}
          />
        </div>
      ) : null}
      {phase.kind === 'single' ? (
        <ChatView
          lang={lang}
          mainTab={t.tabProfile}
          context={{ entry: 'single' }}
          entry={phase.entry}
          client={phase.client}
          customerId={phase.externalUserId}
          main={<CustomerView id={phase.externalUserId} lang={lang} />}
          extra={{
            label: lang === 'en' ? 'Follow-up' : '跟进',
            node: <CustomerCrm id={phase.externalUserId} lang={lang} client={phase.client} app={app} />,
          }}
        />
      ) : null}
      {phase.kind === 'group' ? (
        <ChatView
          lang={lang}
          mainTab={t.tabGroup}
          context={{ entry: 'group', chatId: phase.chatId }}
          entry={phase.entry}
          client={phase.client}
          main={<GroupView id={phase.chatId} lang={lang} app={app} />}
        />
      ) : null}
    </main>
  );
}

/**
 * The tabs; quick replies, the assistant and a customer's follow-up tab load when first opened, so the profile is
 * the only request of a fresh sidebar.
 */
function ChatView({
  lang,
  mainTab,
  context,
  entry,
  client,
  customerId,
  main,
  extra,
}: {
  lang: Lang;
  mainTab: string;
  context: ReplyContext;
  entry: string;
  client: WeComClient;
  /** The customer of a one-to-one chat: the assistant suggests questions from their tags and stage. */
  customerId?: string;
  main: React.ReactNode;
  /** The customer's follow-up tab (stage, tags, remark, notes, timeline). */
  extra?: { label: string; node: React.ReactNode };
}) {
  const t = messages(lang);
  const [tab, setTab] = useState<'main' | 'extra' | 'replies' | 'assistant'>('main');
  const scheduleTarget: ScheduleTarget | null =
    context.entry === 'group'
      ? { chatId: context.chatId }
      : customerId
        ? { externalUserId: customerId }
        : null;
  const [repliesOpened, setRepliesOpened] = useState(false);
  const [assistantOpened, setAssistantOpened] = useState(false);
  const [extraOpened, setExtraOpened] = useState(false);
  const select = (next: 'main' | 'extra' | 'replies' | 'assistant') => {
    setTab(next);
    if (next === 'replies') setRepliesOpened(true);
    if (next === 'assistant') setAssistantOpened(true);
    if (next === 'extra') setExtraOpened(true);
  };
  return (
    <>
      <div className={styles.tabs} role="tablist">
        <button
          type="button"
          role="tab"
          id="tab-main"
          aria-selected={tab === 'main'}
          aria-controls="panel-main"
          className={styles.tab}
          onClick={() => select('main')}
        >
          {mainTab}
        </button>
        {extra ? (
          <button
            type="button"
            role="tab"
            id="tab-extra"
            aria-selected={tab === 'extra'}
            aria-controls="panel-extra"
            className={styles.tab}
            onClick={() => select('extra')}
          >
            {extra.label}
          </button>
        ) : null}
        <button
          type="button"
          role="tab"
          id="tab-replies"
          aria-selected={tab === 'replies'}
          aria-controls="panel-replies"
          className={styles.tab}
          onClick={() => select('replies')}
        >
          {t.tabReplies}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-assistant"
          aria-selected={tab === 'assistant'}
          aria-controls="panel-assistant"
          className={styles.tab}
          onClick={() => select('assistant')}
        >
          {lang === 'en' ? 'Assistant' : '问答'}
        </button>
      </div>
      <div
        id="panel-main"
        role="tabpanel"
        aria-labelledby="tab-main"
        className={styles.panel}
        hidden={tab !== 'main'}
      >
        {main}
      </div>
      {extra ? (
        <div
          id="panel-extra"
          role="tabpanel"
          aria-labelledby="tab-extra"
          className={styles.panel}
          hidden={tab !== 'extra'}
        >
          {extraOpened ? extra.node : null}
        </div>
      ) : null}
      <div
        id="panel-replies"
        role="tabpanel"
        aria-labelledby="tab-replies"
        className={styles.panel}
        hidden={tab !== 'replies'}
      >
        {repliesOpened ? (
          <>
            <QuickRepliesPanel
              context={context}
              lang={lang}
              client={client}
              entry={entry}
              customerId={customerId}
            />
            {scheduleTarget ? <SchedulePanel target={scheduleTarget} lang={lang} /> : null}
          </>
        ) : null}
      </div>
      <div
        id="panel-assistant"
        role="tabpanel"
        aria-labelledby="tab-assistant"
        className={styles.panel}
        hidden={tab !== 'assistant'}
      >
        {assistantOpened ? (
          <AssistantPanel
            lang={lang}
            send={(text) => client.sendChatMessage({ msgtype: 'text', text: { content: text } })}
            suggestionsUrl={
              customerId ? `/api/assistant/suggestions/${encodeURIComponent(customerId)}` : undefined
            }
          />
        ) : null}
      </div>
    </>
  );
}

const swrOptions = { revalidateOnFocus: false, revalidateOnReconnect: false, shouldRetryOnError: false };

function CustomerView({ id, lang }: { id: string; lang: Lang }) {
  const t = messages(lang);
  const { data, error, isValidating, mutate } = useSWR<CustomerProfile, ApiError>(
    contactPath(id),
    sidebarGet,
    swrOptions,
  );
  // Before the browser paints the card, the boot's early name goes (never both on screen).
  useLayoutEffect(() => {
    if (data || error) clearBootPaint();
  }, [data, error]);
  if (error)
    return <ApiErrorState error={error} lang={lang} onRetry={() => void mutate()} retrying={isValidating} />;
  if (!data) return <Skeleton label={t.loadingProfile} lines={6} />;
  return <CustomerProfileCard profile={data} lang={lang} />;
}

/** The follow-up tab: stage, tags, remark, quick actions, notes, timeline (the profile comes from the same cache). */
function CustomerCrm({
  id,
  lang,
  client,
  app,
}: {
  id: string;
  lang: Lang;
  client: WeComClient;
  app: OpenDataApp;
}) {
  const t = messages(lang);
  const { data, mutate } = useSWR<CustomerProfile, ApiError>(contactPath(id), sidebarGet, swrOptions);
  if (!data) return <Skeleton label={t.loadingProfile} lines={4} />;
  return (
    <CrmSection
      externalUserId={id}
      profile={data}
      lang={lang}
      client={client}
      app={app}
      onProfile={(p) => void mutate(p, { revalidate: false })}
    />
  );
}

function GroupView({ id, lang, app }: { id: string; lang: Lang; app: OpenDataApp }) {
  const t = messages(lang);
  const { data, error, isValidating, mutate } = useSWR<GroupChatDto, ApiError>(
    groupChatPath(id),
    sidebarGet,
    swrOptions,
  );
  // Before the browser paints the card, the boot's early name goes (never both on screen).
  useLayoutEffect(() => {
    if (data || error) clearBootPaint();
  }, [data, error]);
  if (error)
    return <ApiErrorState error={error} lang={lang} onRetry={() => void mutate()} retrying={isValidating} />;
  if (!data) return <Skeleton label={t.loadingGroup} lines={6} />;
  return <GroupChatCard chat={data} lang={lang} app={app} />;
}
