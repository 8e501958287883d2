'use client';

import { ReplyLibrary } from '@/components/content/ReplyLibrary';
import { ADMIN_API } from '@/components/content/types';

/** The corp's reply library: categories, replies of every kind, usage, search, import and export. */
export function QuickReplyManager() {
  return <ReplyLibrary lib={ADMIN_API} />;
}
