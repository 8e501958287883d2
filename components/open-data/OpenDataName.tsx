'use client';

import { useEffect, useRef, useState } from 'react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import { bindOpenData, initOpenData } from '@/lib/jssdk-client';

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

/**
 * A member's name: as text when known, else `<ww-open-data type="userName" openid="…">` bound the documented way
 * (ww.initOpenData, then WWOpenData.bind): the WeCom client draws the name where page code cannot read it. The
 * element says how far it got in `data-open-data`: `pending`, `bound`, or `unavailable` (outside the client or
 * refused; the userid stays as fallback).
 */
export function OpenDataName({ userId, name, app }: OpenDataNameProps) {
  const useOpenData = !name && !!app;
  const ref = useRef<HTMLElement>(null);
  const [status, setStatus] = useState<'pending' | 'bound' | 'unavailable'>('pending');
  useEffect(() => {
    if (!useOpenData || !app) return;
    let cancelled = false;
    void initOpenData(app).then((ready) => {
      if (cancelled) return;
      setStatus(ready && ref.current && bindOpenData(ref.current) ? 'bound' : 'unavailable');
    });
    return () => {
      cancelled = true;
    };
  }, [useOpenData, app, userId]);
  if (!useOpenData) return <>{name ?? userId}</>;
  return (
    <ww-open-data
      ref={ref}
      type="userName"
      openid={userId}
      data-testid="open-data-name"
      data-open-data={status}
    >
      {userId}
    </ww-open-data>
  );
}
