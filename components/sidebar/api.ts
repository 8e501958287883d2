import { api } from '@/lib/api-client';
import { takeBootFetch } from '@/lib/jssdk-client';

/** SWR fetcher of the sidebar: the first read of a URL the page's boot script already fetched takes that response. */
export const sidebarGet = <T>(url: string): Promise<T> => api.get<T>(url, { pending: takeBootFetch(url) });

/** Where a sidebar whose session expired signs in again (in-client OAuth, back to this page). */
export function reloginHref(): string {
  const here = typeof window === 'undefined' ? '/sidebar' : `${location.pathname}${location.search}`;
  return `/api/auth/login?${new URLSearchParams({ returnTo: here, client: '1' }).toString()}`;
}
