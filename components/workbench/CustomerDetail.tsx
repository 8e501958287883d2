'use client';

import useSWR from 'swr';
import { CrmSection } from '@/components/crm/CrmSection';
import { Skeleton } from '@/components/ui';
import { ApiError, jsonFetcher } from '@/components/sidebar/api';
import { CustomerProfileCard } from '@/components/sidebar/CustomerProfileCard';
import type { Lang } from '@/components/sidebar/i18n';
import { ApiErrorState } from '@/components/sidebar/States';
import type { CustomerProfile } from '@/lib/contacts-dto';

/** The same profile view as the sidebar, for a customer picked from the workbench list. */
export function CustomerDetail({ id, lang }: { id: string; lang: Lang }) {
  const { data, error, isValidating, mutate } = useSWR<CustomerProfile, ApiError>(
    `/api/contacts/${encodeURIComponent(id)}`,
    jsonFetcher(lang),
    { revalidateOnFocus: false, shouldRetryOnError: false },
  );
  if (error) {
    return <ApiErrorState error={error} lang={lang} onRetry={() => void mutate()} retrying={isValidating} />;
  }
  if (!data)
    return <Skeleton label={lang === 'en' ? 'Loading the customer…' : '正在加载客户资料…'} lines={6} />;
  return (
    <>
      <CustomerProfileCard profile={data} lang={lang} />
      <CrmSection
        externalUserId={id}
        profile={data}
        lang={lang}
        onProfile={(p) => void mutate(p, { revalidate: false })}
      />
    </>
  );
}
