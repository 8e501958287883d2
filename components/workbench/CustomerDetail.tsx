'use client';

import useSWR from 'swr';
import { CrmSection } from '@/components/crm/CrmSection';
import { Skeleton } from '@/components/ui';
import { CustomerProfileCard } from '@/components/sidebar/CustomerProfileCard';
import { ApiErrorState } from '@/components/sidebar/States';
import { api, type ApiError } from '@/lib/api-client';
import type { Lang } from '@/lib/bilingual';
import type { CustomerProfile } from '@/lib/contacts-dto';

/** The same profile view as the sidebar, for a customer picked from the workbench list. */
export function CustomerDetail({ id, lang }: { id: string; lang: Lang }) {
  const { data, error, isValidating, mutate } = useSWR<CustomerProfile, ApiError>(
    `/api/contacts/${encodeURIComponent(id)}`,
    api.get,
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
