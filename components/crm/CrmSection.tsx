'use client';

import { useCallback, useState } from 'react';
import useSWR from 'swr';
import useSWRInfinite from 'swr/infinite';
import { OpenDataName } from '@/components/open-data/OpenDataName';
import { Button, Skeleton } from '@/components/ui';
import type { CustomerProfile } from '@/lib/contacts-dto';
import { checkNoteText, checkRemark, LIMITS, type Bilingual } from '@/lib/crm/limits';
import type { CrmPanel, Note, Person, TimelineItem, TimelinePage } from '@/lib/crm/types';
import type { WeComClient } from '@/lib/jssdk-client';
import type { Lang } from '@/lib/bilingual';
import { api, ApiError } from '@/lib/api-client';
import styles from './crm.module.css';

export interface CrmSectionProps {
  externalUserId: string;
  profile: CustomerProfile;
  lang: Lang;
  client?: WeComClient;
  /** Third-party mode: the app to register with so the client renders member names. */
  app?: { corpId: string; agentId: string };
  onProfile(profile: CustomerProfile): void;
}

const T = {
  zh: {
    stage: '客户阶段',
    noPipeline: '管理员尚未设置客户阶段',
    clearStage: '清除',
    tags: '企业标签',
    editTags: '编辑标签',
    done: '完成',
    quick: '快捷操作',
    openProfile: '资料卡',
    copyRemark: '复制备注',
    copied: '已复制',
    call: '拨打',
    remarkEdit: '编辑备注',
    remark: '备注',
    description: '描述',
    remarkCompany: '备注企业',
    mobiles: '手机号（每行一个）',
    save: '保存',
    cancel: '取消',
    notes: '跟进记录',
    notePlaceholder: '记录沟通内容、约定事项…',
    followUpAt: '下次跟进',
    addNote: '添加记录',
    edit: '编辑',
    delete: '删除',
    timeline: '客户动态',
    more: '加载更多',
    empty: '暂无动态',
    followers: '其他跟进人',
    addedAt: '添加于',
    chat: '沟通',
    groups: '所在客户群',
    noGroups: '不在本企业的客户群中',
    members: (n: number) => `${n} 人`,
    fromWecom: '企业微信',
    saving: '正在保存…',
  },
  en: {
    stage: 'Stage',
    noPipeline: 'An admin has not set up the pipeline yet',
    clearStage: 'Clear',
    tags: 'Corp tags',
    editTags: 'Edit tags',
    done: 'Done',
    quick: 'Quick actions',
    openProfile: 'Profile card',
    copyRemark: 'Copy remark',
    copied: 'Copied',
    call: 'Call',
    remarkEdit: 'Edit remark',
    remark: 'Remark',
    description: 'Description',
    remarkCompany: 'Remark company',
    mobiles: 'Mobiles (one per line)',
    save: 'Save',
    cancel: 'Cancel',
    notes: 'Follow-up notes',
    notePlaceholder: 'What was discussed, what was agreed…',
    followUpAt: 'Next follow-up',
    addNote: 'Add note',
    edit: 'Edit',
    delete: 'Delete',
    timeline: 'Timeline',
    more: 'Load more',
    empty: 'Nothing yet',
    followers: 'Other followers',
    addedAt: 'Added',
    chat: 'Chat',
    groups: 'Group chats',
    noGroups: 'Not in any of the corp’s customer groups',
    members: (n: number) => `${n} members`,
    fromWecom: 'WeCom',
    saving: 'Saving…',
  },
};

const fmt = (iso: string | null, lang: Lang) =>
  iso
    ? new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';

function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.userMessage[lang];
  const b = (err as { userMessage?: Bilingual } | null)?.userMessage;
  return b ? b[lang] : lang === 'en' ? 'Something went wrong' : '操作失败';
}

function Name({ person, app }: { person: Person; app?: { corpId: string; agentId: string } }) {
  if (person.nameSource === 'api') return <>{person.name}</>;
  return <OpenDataName userId={person.userId} app={app} />;
}

/** The sidebar's CRM part under the profile: stage, tags, remark, quick actions, notes, timeline, followers, groups. */
export function CrmSection({ externalUserId, profile, lang, client, app, onProfile }: CrmSectionProps) {
  const t = T[lang];
  const base = `/api/contacts/${encodeURIComponent(externalUserId)}`;
  const panel = useSWR<CrmPanel, ApiError>(`${base}/crm`, api.get, { revalidateOnFocus: false });
  const data = panel.data;
  // Optimistic values over the loaded panel; a reload of the panel starts from what the server says.
  const [local, setLocal] = useState<{ of: CrmPanel; tagIds: string[]; stageId: string | null } | null>(null);
  const current =
    local && local.of === data
      ? local
      : data
        ? { of: data, tagIds: data.tagIds, stageId: data.stageId }
        : null;
  const tagIds = current?.tagIds ?? null;
  const stageId = current?.stageId ?? null;
  const setTagIds = (ids: string[]) =>
    data && setLocal((l) => ({ of: data, stageId: l?.of === data ? l.stageId : data.stageId, tagIds: ids }));
  const setStageId = (id: string | null) =>
    data && setLocal((l) => ({ of: data, tagIds: l?.of === data ? l.tagIds : data.tagIds, stageId: id }));
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const timeline = useSWRInfinite<TimelinePage, ApiError>(
    (index, prev: TimelinePage | null) =>
      index === 0
        ? `${base}/timeline`
        : prev?.nextCursor
          ? `${base}/timeline?cursor=${encodeURIComponent(prev.nextCursor)}`
          : null,
    api.get,
    { revalidateOnFocus: false, revalidateFirstPage: false },
  );
  const refreshTimeline = () => void timeline.mutate();

  /** The profile's tag groups after a tag change (corp tags from the library, personal tags kept). */
  const syncProfileTags = useCallback(
    (ids: string[]) => {
      if (!data) return;
      const groups = data.library
        .map((g) => ({
          groupName: g.groupName,
          tags: g.tags
            .filter((x) => ids.includes(x.id))
            .map((x) => ({ id: x.id, name: x.name, kind: 'corp' as const })),
        }))
        .filter((g) => g.tags.length > 0);
      const personal = profile.follow.tagGroups.filter((g) => g.tags.some((x) => x.kind !== 'corp'));
      onProfile({ ...profile, follow: { ...profile.follow, tagGroups: [...groups, ...personal] } });
    },
    [data, profile, onProfile],
  );

  const failed = (err: unknown) => {
    setMessage({ tone: 'error', text: errorText(err, lang) });
    // A tag deleted meanwhile: reload the library. No longer a customer: the panel reload shows the 403.
    if (err instanceof ApiError && (err.code === 'tag_deleted' || err.code === 'not_your_customer'))
      void panel.mutate();
  };

  async function toggleTag(id: string) {
    if (!tagIds) return;
    const before = tagIds;
    const has = before.includes(id);
    const next = has ? before.filter((x) => x !== id) : [...before, id];
    setTagIds(next);
    setMessage(null);
    try {
      const res = await api.post<{ tagIds: string[] }>(
        `${base}/tags`,
        has ? { remove: [id] } : { add: [id] },
      );
      setTagIds(res.tagIds);
      syncProfileTags(res.tagIds);
      refreshTimeline();
    } catch (err) {
      setTagIds(before);
      failed(err);
    }
  }

  async function chooseStage(id: string | null) {
    const before = stageId;
    if (before === id) return;
    setStageId(id);
    setMessage(null);
    try {
      const res = await api.put<{ stageId: string | null; tagIds: string[] }>(`${base}/stage`, {
        stageId: id,
      });
      setTagIds(res.tagIds);
      syncProfileTags(res.tagIds);
      refreshTimeline();
    } catch (err) {
      setStageId(before);
      failed(err);
    }
  }

  if (panel.error) {
    return (
      <section className={styles.card} data-testid="crm-error">
        <p className={styles.error}>{panel.error.userMessage[lang]}</p>
      </section>
    );
  }
  if (!data || tagIds === null) return <Skeleton label={t.tags} lines={3} />;

  const pipelineStages = data.pipeline.stages;
  const tagGroups = data.library.filter((g) => !g.isPipeline);
  const mobiles = profile.follow.remarkMobiles;
  return (
    <div className={styles.crm} data-testid="crm">
      {message ? (
        <p
          className={message.tone === 'error' ? styles.error : styles.ok}
          role="status"
          data-testid="crm-message"
        >
          {message.text}
        </p>
      ) : null}

      <section className={styles.card} data-testid="stage">
        <h2 className={styles.title}>{t.stage}</h2>
        {pipelineStages.length === 0 ? (
          <p className={styles.muted}>{t.noPipeline}</p>
        ) : (
          <div className={styles.stages}>
            {pipelineStages.map((s) => (
              <button
                key={s.id}
                type="button"
                className={styles.stage}
                aria-pressed={stageId === s.id}
                style={{ ['--stage' as string]: s.color }}
                onClick={() => void chooseStage(s.id)}
              >
                {s.name}
              </button>
            ))}
            {stageId ? (
              <button type="button" className={styles.linkButton} onClick={() => void chooseStage(null)}>
                {t.clearStage}
              </button>
            ) : null}
          </div>
        )}
      </section>

      <TagEditor lang={lang} groups={tagGroups} selected={tagIds} onToggle={(id) => void toggleTag(id)} />

      <section className={styles.card} data-testid="quick-actions">
        <h2 className={styles.title}>{t.quick}</h2>
        <div className={styles.actions}>
          <Button
            size="small"
            disabled={!client}
            onClick={() =>
              void client?.openUserProfile(2, externalUserId).catch((err: unknown) => failed(err))
            }
          >
            {t.openProfile}
          </Button>
          {mobiles[0] ? (
            <a className={styles.actionLink} href={`tel:${mobiles[0]}`} data-testid="call">
              {t.call} {mobiles[0]}
            </a>
          ) : null}
          {profile.follow.remark ? (
            <Button
              size="small"
              onClick={() =>
                void navigator.clipboard?.writeText(profile.follow.remark ?? '').then(
                  () => setMessage({ tone: 'ok', text: t.copied }),
                  (err: unknown) => failed(err),
                )
              }
            >
              {t.copyRemark}
            </Button>
          ) : null}
        </div>
        <RemarkEditor
          lang={lang}
          base={base}
          profile={profile}
          customerType={data.customerType}
          onSaved={(p) => {
            onProfile(p);
            refreshTimeline();
          }}
        />
      </section>

      <NotesForm
        lang={lang}
        base={base}
        onAdded={() => {
          setMessage(null);
          refreshTimeline();
        }}
        onError={failed}
      />

      <Timeline lang={lang} base={base} app={app} pages={timeline} onError={failed} />

      <section className={styles.card} data-testid="followers">
        <h2 className={styles.title}>{t.followers}</h2>
        {data.followers.filter((f) => !f.isMe).length === 0 ? (
          <p className={styles.muted}>—</p>
        ) : (
          <ul className={styles.list}>
            {data.followers
              .filter((f) => !f.isMe)
              .map((f) => (
                <li key={f.userId} className={styles.row}>
                  <span>
                    <Name person={f} app={app} />
                    <span className={styles.meta}>
                      {' '}
                      · {t.addedAt} {fmt(f.addedAt, lang)}
                    </span>
                  </span>
                  <Button
                    size="small"
                    disabled={!client}
                    onClick={() =>
                      void client
                        ?.openEnterpriseChat({ userIds: [f.userId] })
                        .catch((err: unknown) => failed(err))
                    }
                  >
                    {t.chat}
                  </Button>
                </li>
              ))}
          </ul>
        )}
      </section>

      <section className={styles.card} data-testid="customer-groups">
        <h2 className={styles.title}>{t.groups}</h2>
        {data.groups.length === 0 ? (
          <p className={styles.muted}>{t.noGroups}</p>
        ) : (
          <ul className={styles.list}>
            {data.groups.map((g) => (
              <li key={g.chatId} className={styles.row}>
                <span>{g.name}</span>
                <span className={styles.meta}>
                  <Name person={g.owner} app={app} /> · {t.members(g.memberCount)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function TagEditor({
  lang,
  groups,
  selected,
  onToggle,
}: {
  lang: Lang;
  groups: CrmPanel['library'];
  selected: string[];
  onToggle(id: string): void;
}) {
  const t = T[lang];
  const [open, setOpen] = useState(false);
  const visible = open ? groups : groups.filter((g) => g.tags.some((x) => selected.includes(x.id)));
  return (
    <section className={styles.card} data-testid="tag-editor">
      <div className={styles.titleRow}>
        <h2 className={styles.title}>{t.tags}</h2>
        <button type="button" className={styles.linkButton} onClick={() => setOpen((o) => !o)}>
          {open ? t.done : t.editTags}
        </button>
      </div>
      {visible.map((g) => (
        <div key={g.groupId} className={styles.tagGroup}>
          <span className={styles.groupName}>{g.groupName}</span>
          <div className={styles.chips}>
            {g.tags
              .filter((x) => open || selected.includes(x.id))
              .map((x) => (
                <button
                  key={x.id}
                  type="button"
                  className={styles.tag}
                  aria-pressed={selected.includes(x.id)}
                  disabled={!open}
                  onClick={() => onToggle(x.id)}
                >
                  {x.name}
                </button>
              ))}
          </div>
        </div>
      ))}
    </section>
  );
}

function RemarkEditor({
  lang,
  base,
  profile,
  customerType,
  onSaved,
}: {
  lang: Lang;
  base: string;
  profile: CustomerProfile;
  customerType: 'wechat' | 'wecom';
  onSaved(p: CustomerProfile): void;
}) {
  const t = T[lang];
  const f = profile.follow;
  const [open, setOpen] = useState(false);
  const [remark, setRemark] = useState(f.remark ?? '');
  const [description, setDescription] = useState(f.description ?? '');
  const [company, setCompany] = useState(f.remarkCorpName ?? '');
  const [mobiles, setMobiles] = useState(f.remarkMobiles.join('\n'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <Button size="small" onClick={() => setOpen(true)} data-testid="edit-remark">
        {t.remarkEdit}
      </Button>
    );
  }
  const input = {
    remark,
    description,
    ...(customerType === 'wechat' ? { remarkCompany: company } : {}),
    remarkMobiles: mobiles
      .split(/\n|,|，/)
      .map((m) => m.trim())
      .filter(Boolean),
  };
  const problem = checkRemark(input, customerType);
  async function save() {
    if (problem) return setError(problem.message[lang]);
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.patch<CustomerProfile>(base, input));
      setOpen(false);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className={styles.form}
      data-testid="remark-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        {t.remark} <small>{`${[...remark].length}/${LIMITS.remark}`}</small>
        <input name="remark" value={remark} onChange={(e) => setRemark(e.target.value)} />
      </label>
      <label>
        {t.description} <small>{`${[...description].length}/${LIMITS.description}`}</small>
        <textarea
          name="description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      {customerType === 'wechat' ? (
        <label>
          {t.remarkCompany} <small>{`${[...company].length}/${LIMITS.remarkCompany}`}</small>
          <input name="remarkCompany" value={company} onChange={(e) => setCompany(e.target.value)} />
        </label>
      ) : null}
      <label>
        {t.mobiles}
        <textarea
          name="remarkMobiles"
          rows={2}
          value={mobiles}
          onChange={(e) => setMobiles(e.target.value)}
        />
      </label>
      {error || problem ? (
        <p className={styles.error} role="alert">
          {error ?? problem!.message[lang]}
        </p>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" variant="primary" size="small" disabled={busy || !!problem}>
          {busy ? t.saving : t.save}
        </Button>
        <Button size="small" onClick={() => setOpen(false)}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}

const newId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/** A new note; its id is made once per draft, so resubmitting after a failure never creates a second note. */
function NotesForm({
  lang,
  base,
  onAdded,
  onError,
}: {
  lang: Lang;
  base: string;
  onAdded(): void;
  onError(err: unknown): void;
}) {
  const t = T[lang];
  const [text, setText] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [draftId, setDraftId] = useState(newId);
  const [busy, setBusy] = useState(false);
  const problem = text ? checkNoteText(text) : null;
  async function submit() {
    if (!text.trim() || problem) return;
    setBusy(true);
    try {
      await api.post<Note>(`${base}/notes`, {
        id: draftId,
        text,
        followUpAt: followUp ? new Date(followUp).toISOString() : null,
      });
      setText('');
      setFollowUp('');
      setDraftId(newId());
      onAdded();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className={styles.card} data-testid="notes">
      <h2 className={styles.title}>{t.notes}</h2>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <textarea
          name="note"
          rows={3}
          placeholder={t.notePlaceholder}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <label>
          {t.followUpAt}
          <input
            type="datetime-local"
            name="followUpAt"
            value={followUp}
            onChange={(e) => setFollowUp(e.target.value)}
          />
        </label>
        {problem ? <p className={styles.error}>{problem.message[lang]}</p> : null}
        <Button type="submit" variant="primary" size="small" disabled={busy || !text.trim() || !!problem}>
          {busy ? t.saving : t.addNote}
        </Button>
      </form>
    </section>
  );
}

function Timeline({
  lang,
  base,
  app,
  pages,
  onError,
}: {
  lang: Lang;
  base: string;
  app?: { corpId: string; agentId: string };
  pages: ReturnType<typeof useSWRInfinite<TimelinePage, ApiError>>;
  onError(err: unknown): void;
}) {
  const t = T[lang];
  const items = pages.data ? pages.data.flatMap((p) => p.items) : null;
  const cursor = pages.data?.[pages.data.length - 1]?.nextCursor ?? null;
  const loading = pages.isValidating;
  const load = () => void pages.mutate();

  async function edit(note: Note) {
    const text = window.prompt(t.edit, note.text);
    if (text === null || text === note.text) return;
    try {
      await api.patch(`${base}/notes/${encodeURIComponent(note.id)}`, { text });
      load();
    } catch (err) {
      onError(err);
    }
  }

  async function remove(note: Note) {
    try {
      await api.del(`${base}/notes/${encodeURIComponent(note.id)}`);
      load();
    } catch (err) {
      onError(err);
    }
  }

  return (
    <section className={styles.card} data-testid="timeline">
      <h2 className={styles.title}>{t.timeline}</h2>
      {pages.error ? <p className={styles.error}>{pages.error.userMessage[lang]}</p> : null}
      {items === null && !pages.error ? <Skeleton label={t.timeline} lines={2} /> : null}
      {items && items.length === 0 ? <p className={styles.muted}>{t.empty}</p> : null}
      <ol className={styles.timeline}>
        {(items ?? []).map((item) => (
          <li key={item.id} className={styles.entry} data-kind={item.kind} data-testid="timeline-item">
            <div className={styles.entryHead}>
              <span>
                {item.actor && item.kind !== 'member_deleted' && item.kind !== 'note' ? (
                  <>
                    <Name person={item.actor} app={app} />{' '}
                  </>
                ) : null}
                {item.kind === 'note' && item.note ? (
                  <Name person={item.note.author} app={app} />
                ) : (
                  summaryWithoutActor(item, lang)
                )}
              </span>
              <span className={styles.meta}>
                {item.source === 'wecom' ? `${t.fromWecom} · ` : ''}
                {fmt(item.at, lang)}
              </span>
            </div>
            {item.note ? (
              <>
                <p className={styles.noteText}>{item.note.text}</p>
                {item.note.followUpAt ? (
                  <p className={styles.meta}>
                    {t.followUpAt}：{fmt(item.note.followUpAt, lang)}
                  </p>
                ) : null}
                {item.note.mine ? (
                  <div className={styles.actions}>
                    <button type="button" className={styles.linkButton} onClick={() => void edit(item.note!)}>
                      {t.edit}
                    </button>
                    <button
                      type="button"
                      className={styles.linkButton}
                      onClick={() => void remove(item.note!)}
                    >
                      {t.delete}
                    </button>
                  </div>
                ) : null}
              </>
            ) : null}
          </li>
        ))}
      </ol>
      {cursor ? (
        <Button size="small" disabled={loading} onClick={() => void pages.setSize(pages.size + 1)}>
          {t.more}
        </Button>
      ) : null}
    </section>
  );
}

/** The summary without the actor's name in front (the name is rendered apart, possibly by ww-open-data). */
function summaryWithoutActor(item: TimelineItem, lang: Lang): string {
  const text = item.summary[lang];
  const name = item.actor?.name ?? '';
  if (item.kind === 'member_deleted') return text;
  return name && text.startsWith(name) ? text.slice(name.length).trimStart() : text;
}
