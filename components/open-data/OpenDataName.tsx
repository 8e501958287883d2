'use client';

import { useEffect } from 'react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import { initOpenData } from '@/lib/jssdk-client';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'ww-open-data': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        type: 'userName' | 'departmentName';
        openid: string;
      };
    }
  }
}

export interface OpenDataNameProps {
  userId: string;
  /** The name when the server has it (self-built apps); third-party apps get none. */
  name?: string;
  /** Third-party mode: the corp and agent to register with so that the client can render the name. */
  app?: { corpId: string; agentId: string };
}

/** A member's name: as text when known, else `<ww-open-data>` which the WeCom client fills in. */
export function OpenDataName({ userId, name, app }: OpenDataNameProps) {
  const useOpenData = !name && !!app;
  useEffect(() => {
    if (useOpenData && app) void initOpenData(app);
  }, [useOpenData, app]);
  if (!useOpenData) return <>{name ?? userId}</>;
  return (
    <ww-open-data type="userName" openid={userId} data-testid="open-data-name">
      {userId}
    </ww-open-data>
  );
}
