'use client';

import { useState } from 'react';
import useSWR from 'swr';
import { confirmMass, fetchPendingMass } from './api';
import styles from './simulator.module.css';

/**
 * 群发助手: the mass-message tasks WeCom created for the current member (add_msg_template). WeCom sends nothing
 * until the member confirms; confirming here sends it, and the messages appear in each chat.
 */
export function MassAssistant({ userId, onSent }: { userId?: string; onSent: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const pending = useSWR(userId ? ['emulator:mass', userId] : null, () => fetchPendingMass(userId!), {
    refreshInterval: 3000,
  });
  const items = pending.data ?? [];

  async function confirm(msgid: string) {
    setBusy(msgid);
    try {
      await confirmMass(msgid, userId!);
      await pending.mutate();
      onSent();
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={styles.massAssistant}>
      <button
        type="button"
        className={styles.linkButton}
        data-testid="mass-assistant"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        群发助手 Mass messages{items.length > 0 ? ` · ${items.length}` : ''}
      </button>
      {open ? (
        <div className={styles.massPopover} role="dialog" aria-label="群发助手 / Mass messages">
          {items.length === 0 ? <p className={styles.muted}>没有待发送的群发 · Nothing to confirm</p> : null}
          {items.map((m) => (
            <div key={m.msgid} className={styles.massItem} data-testid="mass-item">
              <p>{m.text?.content ?? m.attachments.map((a) => `[${a.msgtype}]`).join(' ')}</p>
              <p className={styles.muted}>
                发给 {m.targets.length} 个{m.chatType === 'group' ? '客户群' : '客户'} · to {m.targets.length}
              </p>
              <button
                type="button"
                className={styles.linkButton}
                disabled={busy === m.msgid}
                onClick={() => void confirm(m.msgid)}
              >
                发送 Send
              </button>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
