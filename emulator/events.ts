import { deliver } from './deliver';
import { sealPush } from './suite/crypto';
import { inVisibleRange, type EmulatorState, type EventPush } from './state';

/**
 * Change events (客户联系 回调) that WeCom pushes when data changes in the client or the admin console. API writes
 * never produce them (only the simulator's "as a person did it" actions emit). Each corp state has sinks: the
 * self-built apps' callback URLs (registered by the core) and, when the corp installed the suite, the suite's
 * instruction URL (registered by the suite side).
 */

export type CrmEvent =
  | {
      event: 'change_external_contact';
      changeType:
        | 'add_external_contact'
        | 'edit_external_contact'
        | 'del_external_contact'
        | 'del_follow_user'
        | 'add_half_external_contact';
      userId: string;
      externalUserId: string;
      state?: string;
      welcomeCode?: string;
      source?: string;
    }
  | {
      event: 'change_external_chat';
      changeType: 'create' | 'update' | 'dismiss';
      chatId: string;
      updateDetail?: 'add_member' | 'del_member' | 'change_owner' | 'change_name' | 'change_notice';
      joinScene?: number;
      quitScene?: number;
      memChangeList?: string[];
      lastMemVer?: string;
      curMemVer?: string;
    }
  | {
      event: 'change_external_tag';
      changeType: 'create' | 'update' | 'delete' | 'shuffle';
      id: string;
      tagType?: 'tag' | 'tag_group';
    };

export type EventSink = (event: CrmEvent, at: number) => Promise<void>;

const sinks = new WeakMap<EmulatorState, EventSink[]>();

export function onEvent(state: EmulatorState, sink: EventSink): void {
  const list = sinks.get(state) ?? [];
  list.push(sink);
  sinks.set(state, list);
}

/** Delivers an event to every sink of the corp; resolves when all deliveries finished (or failed). */
export async function emit(state: EmulatorState, event: CrmEvent, at: number): Promise<void> {
  await Promise.all((sinks.get(state) ?? []).map((sink) => sink(event, at).catch(() => undefined)));
}

const cdata = (name: string, value: string) => `<${name}><![CDATA[${value}]]></${name}>`;

/** The event-specific elements, in the order the docs show them. */
function body(e: CrmEvent): string {
  switch (e.event) {
    case 'change_external_contact': {
      let s =
        cdata('ChangeType', e.changeType) +
        cdata('UserID', e.userId) +
        cdata('ExternalUserID', e.externalUserId);
      if (e.changeType === 'add_external_contact' || e.changeType === 'add_half_external_contact') {
        s += cdata('State', e.state ?? '') + cdata('WelcomeCode', e.welcomeCode ?? '');
      }
      if (e.source) s += cdata('Source', e.source);
      return s;
    }
    case 'change_external_chat': {
      let s = cdata('ChatId', e.chatId) + cdata('ChangeType', e.changeType);
      if (e.changeType !== 'update') return s;
      s += cdata('UpdateDetail', e.updateDetail ?? '');
      s += `<JoinScene>${e.joinScene ?? 0}</JoinScene><QuitScene>${e.quitScene ?? 0}</QuitScene>`;
      if (e.memChangeList) {
        s += `<MemChangeCnt>${e.memChangeList.length}</MemChangeCnt><MemChangeList>`;
        s += e.memChangeList.map((id) => `<Item>${id}</Item>`).join('');
        s += `</MemChangeList><LastMemVer>${e.lastMemVer ?? ''}</LastMemVer><CurMemVer>${e.curMemVer ?? ''}</CurMemVer>`;
      }
      return s;
    }
    case 'change_external_tag':
      return (
        cdata('Id', e.id) +
        (e.changeType === 'shuffle' ? '' : cdata('TagType', e.tagType ?? 'tag')) +
        cdata('ChangeType', e.changeType)
      );
  }
}

/** Decrypted XML of a self-built (or 代开发) app's event. */
export function selfBuiltXml(corpId: string, e: CrmEvent, at: number): string {
  return (
    `<xml>${cdata('ToUserName', corpId)}${cdata('FromUserName', 'sys')}<CreateTime>${Math.floor(at / 1000)}</CreateTime>` +
    `${cdata('MsgType', 'event')}${cdata('Event', e.event)}${body(e)}</xml>`
  );
}

/** Decrypted XML of the same event on a third-party suite's instruction URL. */
export function thirdPartyXml(suiteId: string, corpId: string, e: CrmEvent, at: number): string {
  return (
    `<xml>${cdata('SuiteId', suiteId)}${cdata('AuthCorpId', corpId)}${cdata('InfoType', e.event)}` +
    `<TimeStamp>${Math.floor(at / 1000)}</TimeStamp>${body(e)}</xml>`
  );
}

/** Callbacks concern only members inside the app's visible range (the member of a contact event, a chat's owner). */
function inScope(state: EmulatorState, e: CrmEvent, agentId: string): boolean {
  if (e.event === 'change_external_contact') return inVisibleRange(state, e.userId, agentId);
  if (e.event === 'change_external_chat') {
    const owner = state.groupChats.find((g) => g.chat_id === e.chatId)?.owner;
    return !owner || inVisibleRange(state, owner, agentId);
  }
  return true;
}

/**
 * The sink of the self-built apps: every app in 客户联系's 可调用应用 list whose console has a callback URL gets the
 * event, encrypted for the corp id. WeCom treats any HTTP 200 as received, and retries otherwise (deliver()).
 */
export function selfBuiltSink(state: EmulatorState, doFetch: typeof fetch = fetch): EventSink {
  return async (e, at) => {
    for (const app of state.apps) {
      const cb = state.appCallbacks[app.agentId];
      if (!cb || !app.externalContact || !inScope(state, e, app.agentId)) continue;
      const record: EventPush = {
        at,
        agentId: app.agentId,
        event: e.event,
        changeType: e.changeType,
        status: 0,
        body: '',
        ok: false,
      };
      const started = Date.now();
      Object.assign(
        record,
        await deliver({
          doFetch,
          seal: () => {
            const sealed = sealPush(
              {
                token: cb.token,
                encodingAesKey: cb.encodingAesKey,
                receiveId: state.corp.corpId,
                toUserName: state.corp.corpId,
                agentId: app.agentId,
              },
              selfBuiltXml(state.corp.corpId, e, at),
              Math.floor((at + Date.now() - started) / 1000),
            );
            const url = new URL(cb.url);
            for (const [k, v] of sealed.query) url.searchParams.set(k, v);
            return { url, body: sealed.body };
          },
          accept: (status) => status === 200,
          faults: state.pushFaults,
        }),
      );
      state.eventPushes.unshift(record);
      state.eventPushes.length = Math.min(state.eventPushes.length, 50);
    }
  };
}
