'use client';

import { useEffect, useState } from 'react';
import useSWRInfinite from 'swr/infinite';
import { Avatar, Button, ButtonLink, Chip, Skeleton, StateMessage } from '@/components/ui';
import { api, type ApiError } from '@/lib/api-client';
import type { CorpTagGroup, CustomerPage } from '@/lib/contacts-dto';
import styles from './workbench.module.css';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** "My customers": cursor pages from the server, search by name or remark, filter by a corp tag. */
export function CustomerList({ tagGroups, pageSize }: { tagGroups: CorpTagGroup[]; pageSize: number }) {
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const q = useDebounced(search.trim(), 300);

  const { data, error, size, setSize, isValidating, mutate } = useSWRInfinite<CustomerPage, ApiError>(
    (index, previous: CustomerPage | null) => {
      if (previous && !previous.nextCursor) return null;
      const params = new URLSearchParams({ limit: String(pageSize) });
      if (q) params.set('q', q);
      if (tag) params.set('tag', tag);
      if (index > 0 && previous?.nextCursor) params.set('cursor', previous.nextCursor);
      return `/api/customers?${params.toString()}`;
    },
    api.get,
    { revalidateFirstPage: false, revalidateOnFocus: false },
  );

  const tagNames = new Map(tagGroups.flatMap((g) => g.tags.map((t) => [t.id, t.name] as const)));
  const items = data?.flatMap((p) => p.items) ?? [];
  const total = data?.[0]?.total;
  const last = data?.[data.length - 1];
  const hasMore = !!last?.nextCursor;
  const loadingMore = isValidating && !!data && size > data.length;
  const filtering = !!q || !!tag;

  const filters = (
    <div className={styles.filters}>
      <input
        className={styles.search}
        type="search"
        placeholder="搜索姓名或备注 / Search name or remark"
        aria-label="搜索姓名或备注 / Search name or remark"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="customer-search"
      />
      {tagGroups.length > 0 ? (
        <select
          className={styles.select}
          aria-label="按标签筛选 / Filter by tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          data-testid="customer-tag"
        >
          <option value="">全部标签 / All tags</option>
          {tagGroups.map((g) => (
            <optgroup key={g.groupId} label={g.groupName}>
              {g.tags.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      ) : null}
    </div>
  );

  let body: React.ReactNode;
  if (error && !data) {
    const e = error;
    body = (
      <StateMessage
        tone="error"
        state={e.code}
        title={e.status === 401 ? '登录已过期 / Session expired' : '无法加载客户 / Could not load customers'}
        actions={
          e.status === 401 ? (
            <ButtonLink variant="primary" href="/api/auth/login?returnTo=%2Fworkbench">
              重新登录 / Sign in again
            </ButtonLink>
          ) : (
            <Button onClick={() => mutate()}>重试 / Retry</Button>
          )
        }
      >
        <p>{e.message}</p>
      </StateMessage>
    );
  } else if (!data) {
    body = <Skeleton lines={3} label="正在加载客户 / Loading customers" />;
  } else if (total === 0 && !filtering) {
    body = (
      <StateMessage state="no-customers" title="暂无客户 / No customers yet">
        <p>
          你还没有添加客户，或管理员尚未给你开通「客户联系」功能（在管理后台把你加入客户联系的使用范围）。添加客户后会显示在这里。
        </p>
        <p lang="en">
          You have no customers yet, or the admin has not enabled 客户联系 (customer contact) for you (add you
          to its scope in the admin console). Customers you add appear here.
        </p>
      </StateMessage>
    );
  } else if (items.length === 0 && !hasMore) {
    body = (
      <StateMessage state="no-match" title="没有匹配的客户 / No matching customers">
        <p>换个关键词或标签试试 / Try another keyword or tag</p>
      </StateMessage>
    );
  } else {
    body = (
      <>
        <ul className={styles.list} data-testid="customer-list">
          {items.map((c) => {
            const tags = c.tagIds.map((id) => tagNames.get(id)).filter((n): n is string => !!n);
            return (
              <li key={c.externalUserId} className={styles.item} data-testid="customer-item">
                <a
                  className={styles.itemLink}
                  href={`/workbench/customers/${encodeURIComponent(c.externalUserId)}`}
                >
                  <Avatar src={c.avatar} name={c.name} size={40} />
                  <span className={styles.itemText}>
                    <span className={styles.itemName} style={{ display: 'block' }}>
                      <span data-testid="customer-name">{c.name}</span>
                      {c.type === 'wecom' ? (
                        <span className={styles.itemCorp}>@{c.corpName ?? '企业微信'}</span>
                      ) : (
                        <span className={styles.itemCorp}>@微信</span>
                      )}
                    </span>
                    <span className={styles.itemSub} style={{ display: 'block' }}>
                      {c.remark ? `备注 ${c.remark}` : (c.description ?? '')}
                      {tags.length > 0 ? ' ' : null}
                      {tags.slice(0, 3).map((t) => (
                        <Chip key={t} tone="accent">
                          {t}
                        </Chip>
                      ))}
                    </span>
                  </span>
                  <span className={styles.chevron} aria-hidden>
                    ›
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
        {hasMore ? (
          <div className={styles.more}>
            <Button onClick={() => setSize(size + 1)} disabled={loadingMore} data-testid="load-more">
              {loadingMore ? '加载中… / Loading…' : '加载更多 / Load more'}
            </Button>
          </div>
        ) : (
          <div className={styles.end}>已显示全部 / That is everyone</div>
        )}
        {error && data ? (
          <p className={styles.end} role="alert">
            {(error as Error).message}
          </p>
        ) : null}
      </>
    );
  }

  return (
    <section aria-labelledby="my-customers">
      <div className={styles.heading}>
        <h2 id="my-customers">我的客户 / My customers</h2>
        {typeof total === 'number' && total > 0 ? (
          <span className={styles.count} data-testid="customer-total">
            共 {total} 位 / {total} in total
          </span>
        ) : null}
      </div>
      {total === 0 && !filtering ? null : filters}
      {body}
    </section>
  );
}
