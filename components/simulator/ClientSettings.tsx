'use client';

import useSWR from 'swr';
import {
  fetchApps,
  fetchClientInRange,
  fetchEmployeeFlags,
  fetchSwitches,
  setApp,
  setClient,
  setClientInRange,
  setEmployee,
  setSwitches,
  type ClientState,
} from './api';
import styles from './simulator.module.css';

const FLAVOURS = [
  ['', '默认 Default'],
  ['windows', 'Windows'],
  ['mac', 'Mac'],
  ['ios', 'iOS'],
  ['android', 'Android'],
] as const;
/** Client versions where what the page may do changes (wecom-crm.md §6: Mac mini-program cards from 4.1.26). */
const VERSIONS = [
  ['', '默认 Default (4.1.22)'],
  ['4.1.26', '4.1.26'],
  ['4.1.36', '4.1.36'],
  ['3.1.0', '3.1.0'],
  ['3.0.20', '3.0.20'],
] as const;
const FAILURES = [
  ['', '无 None'],
  ['signature', '签名错误 40093'],
  ['ticket', 'ticket 类型不对 42012'],
  ['corpid', 'CorpID 不符 40013'],
  ['agentid', 'AgentId 不符 40056'],
  ['domain', '非可信域名 80001'],
  ['client-error', '客户端错误 -30001'],
] as const;
const CONFIG_FORMATS = ['', 'legacy', 'spaced', 'code', 'hint', 'wx-config', 'unprefixed'] as const;
const PERMISSION_FORMATS = [
  '',
  'fail-space',
  'fail-underscore',
  'nopermission',
  'unprefixed',
  'denied',
  'to-execute',
  'misleading-ok',
] as const;
const CONFIG_FAILURE_KEYS = ['signature', 'ticket', 'corpid', 'agentid', 'domain'] as const;

/**
 * The emulated client's settings: which client it is (user agent and how it words failures), a forced agentConfig
 * failure, and the permissions WeCom checks before answering the page — the app in 客户联系 → 可调用应用, the
 * member's 客户联系 feature, the app's visible range. Every change reloads the chat-toolbar page.
 */
export function ClientSettings({
  client,
  corpId,
  thirdParty,
  disabled,
  run,
  onChanged,
}: {
  client: ClientState;
  corpId: string | undefined;
  thirdParty: boolean;
  disabled: boolean;
  run: (action: () => Promise<void>) => Promise<void>;
  onChanged: () => Promise<unknown>;
}) {
  const apps = useSWR(['emulator:apps', corpId], fetchApps);
  const members = useSWR(['emulator:employee-flags', corpId], fetchEmployeeFlags);
  const switches = useSWR(['emulator:switches', corpId], fetchSwitches);
  const range = useSWR(['emulator:visible-range', corpId, client.userId], fetchClientInRange);
  // The product app: the demo's self-built app, or (third-party demo) the suite's app, installed last.
  const list = apps.data ?? [];
  const app = thirdParty ? list[list.length - 1] : list[0];
  const me = members.data?.find((e) => e.userId === client.userId);
  const inRange = range.data !== false;
  const configFormat = client.formats?.signature ?? '';

  const change = (action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      await Promise.all([apps.mutate(), members.mutate(), switches.mutate(), range.mutate(), onChanged()]);
    });

  return (
    <details className={styles.settings} data-testid="client-settings">
      <summary>客户端设置 Client</summary>
      <label>
        客户端 Client
        <select
          data-testid="client-flavour"
          value={client.flavour ?? ''}
          disabled={disabled}
          onChange={(e) => change(() => setClient({ flavour: e.target.value || null }))}
        >
          {FLAVOURS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        版本 Version
        <select
          data-testid="client-version"
          value={client.version ?? ''}
          disabled={disabled}
          onChange={(e) => change(() => setClient({ version: e.target.value || null }))}
        >
          {VERSIONS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        agentConfig 失败 Failure
        <select
          data-testid="client-failure"
          value={switches.data?.agentConfigFailure ?? ''}
          disabled={disabled || !switches.data}
          onChange={(e) => change(() => setSwitches({ agentConfigFailure: e.target.value || null }))}
        >
          {FAILURES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        失败格式 Failure wording
        <select
          data-testid="client-config-format"
          value={configFormat}
          disabled={disabled}
          onChange={(e) =>
            change(() =>
              setClient({
                formats: {
                  ...client.formats,
                  ...Object.fromEntries(CONFIG_FAILURE_KEYS.map((k) => [k, e.target.value || null])),
                },
              }),
            )
          }
        >
          {CONFIG_FORMATS.map((v) => (
            <option key={v} value={v}>
              {v || '随客户端 By client'}
            </option>
          ))}
        </select>
      </label>
      <label>
        无权限格式 Refusal wording
        <select
          data-testid="client-permission-format"
          value={client.formats?.permission ?? ''}
          disabled={disabled}
          onChange={(e) =>
            change(() => setClient({ formats: { ...client.formats, permission: e.target.value || null } }))
          }
        >
          {PERMISSION_FORMATS.map((v) => (
            <option key={v} value={v}>
              {v || '随客户端 By client'}
            </option>
          ))}
        </select>
      </label>
      {app ? (
        <>
          <label className={styles.check}>
            <input
              type="checkbox"
              data-testid="app-external-contact"
              checked={app.externalContact}
              disabled={disabled}
              onChange={(e) =>
                change(() => setApp({ agentId: app.agentId, externalContact: e.target.checked }))
              }
            />
            应用在「客户联系」可调用应用 App may use 客户联系
          </label>
          <label className={styles.check}>
            <input
              type="checkbox"
              data-testid="app-visible-range"
              checked={inRange}
              disabled={disabled || !members.data}
              onChange={(e) =>
                change(() =>
                  setClientInRange(
                    e.target.checked,
                    client.userId,
                    (members.data ?? []).map((m) => m.userId),
                  ),
                )
              }
            />
            当前员工在可见范围 Member in visible range
          </label>
        </>
      ) : null}
      {me ? (
        <label className={styles.check}>
          <input
            type="checkbox"
            data-testid="member-external-contact"
            checked={me.externalContact}
            disabled={disabled}
            onChange={(e) =>
              change(() => setEmployee({ userId: me.userId, externalContact: e.target.checked }))
            }
          />
          当前员工有「客户联系」 Member has 客户联系
        </label>
      ) : null}
    </details>
  );
}
