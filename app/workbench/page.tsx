import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Suspense } from 'react';
import { Skeleton } from '@/components/ui/Skeleton';
import { isAdmin, loginPath, requirePageUser } from '@/lib/auth';
import { getConfig } from '@/lib/config';
import { pickLang } from '@/lib/http';
import { getCorpTags, type CorpTagGroup } from '@/lib/wecom/contacts';
import { isWecomClient } from '@/lib/wecom/oauth';
import { corpFor, getTenancy } from '@/lib/wecom/tenant';
import { WorkbenchCrm } from '@/components/crm/WorkbenchCrm';
import { CustomerList } from '@/components/workbench/CustomerList';
import { EmployeeCard } from '@/components/workbench/EmployeeCard';
import styles from '@/components/workbench/workbench.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '工作台 · Workbench' };

const DEFAULT_PAGE_SIZE = 20;

/** 应用主页: the employee and their customers. Inside WeCom the sign-in is silent (snsapi_base). */
export default async function WorkbenchPage({
  searchParams,
}: {
  searchParams: Promise<{ limit?: string; corpid?: string }>;
}) {
  const { limit, corpid } = await searchParams;
  const pageSize = Math.min(100, Math.max(1, Number.parseInt(limit ?? '', 10) || DEFAULT_PAGE_SIZE));
  // Third-party mode: the app home URL carries `corpid=$CORPID$`; the session must belong to that corp.
  const query = new URLSearchParams();
  if (limit) query.set('limit', String(pageSize));
  if (typeof corpid === 'string' && corpid) query.set('corpid', corpid);
  const path = `/workbench${query.size ? `?${query}` : ''}`;
  const user = await requirePageUser(path, { corpId: corpid || null });

  // Where the API gives no member names (third-party apps), the client shows them (ww-open-data) once registered
  // for this corp.
  const corp = user.name ? null : await corpFor(user.corpId).catch(() => null);
  const openDataApp =
    corp?.employeeNames === 'open-data'
      ? { corpId: corp.wecom.corpId, agentId: corp.wecom.agentId }
      : undefined;

  // Consent (snsapi_privateinfo) exists only in the in-client OAuth; a PC browser's web login cannot give the
  // avatar. The demo's emulated client can, in any browser.
  const requestHeaders = await headers();
  const inClient = isWecomClient(requestHeaders.get('user-agent'));
  // Third-party apps get no avatars at all (the sign-in is snsapi_base only).
  const canAskAvatar = getTenancy().avatarConsent && (inClient || getConfig().mode === 'demo');

  return (
    <main className={styles.page} data-testid="workbench">
      <EmployeeCard
        userId={user.userId}
        name={user.name}
        avatar={user.avatar}
        avatarConsentHref={
          canAskAvatar ? loginPath('/workbench', { privateInfo: true, inClient: true }) : undefined
        }
        isAdmin={isAdmin(user)}
        openDataApp={openDataApp}
      />
      <WorkbenchCrm lang={pickLang(requestHeaders.get('accept-language'))} app={openDataApp} />
      {/* The page goes out at once; the list waits for the tag library (one WeCom budget) in a stream of its own. */}
      <Suspense
        fallback={
          <div data-testid="customer-list-pending">
            <Skeleton lines={3} label="正在加载客户 / Loading customers" />
          </div>
        }
      >
        <TaggedCustomerList corpId={user.corpId} pageSize={pageSize} />
      </Suspense>
    </main>
  );
}

/** The tag filter is a convenience: without the tag library (e.g. 48002, or WeCom too slow) the list still works. */
async function TaggedCustomerList({ corpId, pageSize }: { corpId: string; pageSize: number }) {
  let tagGroups: CorpTagGroup[] = [];
  try {
    tagGroups = await getCorpTags({ client: (await corpFor(corpId)).wecom });
  } catch {
    tagGroups = [];
  }
  return <CustomerList tagGroups={tagGroups} pageSize={pageSize} />;
}
