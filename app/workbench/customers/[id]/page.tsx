import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth';
import { pickLang } from '@/lib/http';
import { isId } from '@/lib/ids';
import { CustomerDetail } from '@/components/workbench/CustomerDetail';
import styles from '@/components/workbench/workbench.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: '客户资料 · Customer' };

export default async function WorkbenchCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isId('externalUserId', id)) notFound();
  await requirePageUser(`/workbench/customers/${id}`);
  const lang = pickLang((await headers()).get('accept-language'));
  return (
    <main className={styles.page} data-testid="workbench-customer">
      <a className={styles.back} href="/workbench">
        ‹ 我的客户 / My customers
      </a>
      <CustomerDetail id={id} lang={lang} />
    </main>
  );
}
