'use client';

import { ReplyLibrary } from './ReplyLibrary';
import { MEMBER_API } from './types';

/** The signed-in member's personal replies. */
export function PersonalReplies() {
  return <ReplyLibrary lib={MEMBER_API} />;
}
