import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '@/lib/store';
import { parseCallbackXml } from '@/lib/wecom/callback-crypto';
import { listEvents, recordEvent } from '@/lib/wecom/callback';
import { createSuiteService } from '@/lib/wecom/suite';
import { createTestDatabase, databaseKinds, type TestDatabase } from './fixtures/db';

// The callback event log with the documents' example XML, verbatim (wecom-crm.md §5.2–5.4): third-party events on
// the instruction URL (InfoType + AuthCorpId) and self-built events (MsgType event + Event).

const THIRD_PARTY_CONTACT = `<xml>
	<SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
	<AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
	<InfoType><![CDATA[change_external_contact]]></InfoType>
	<TimeStamp>1403610513</TimeStamp>
	<ChangeType><![CDATA[add_external_contact]]></ChangeType>
	<UserID><![CDATA[zhangsan]]></UserID>
	<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACH71w]]></ExternalUserID>
	<State><![CDATA[teststate]]></State>
	<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>
</xml>`;

const THIRD_PARTY_CHAT = `<xml>
	<SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
	<AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
	<InfoType><![CDATA[change_external_chat]]></InfoType>
	<TimeStamp>1403610513</TimeStamp>
	<ChatId><![CDATA[CHAT_ID]]></ChatId>
	<ChangeType><![CDATA[update]]></ChangeType>
	<UpdateDetail><![CDATA[add_member]]></UpdateDetail>
	<JoinScene>1</JoinScene>
	<QuitScene>0</QuitScene>
	<MemChangeCnt>10</MemChangeCnt>
	<MemChangeList>
		<Item>Jack</Item>
		<Item>Rose</Item>
	</MemChangeList>
	<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>
	<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>
</xml>`;

const THIRD_PARTY_TAG = `<xml>
	<SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
	<AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
	<InfoType><![CDATA[change_external_tag]]></InfoType>
	<TimeStamp>1403610513</TimeStamp>
	<Id><![CDATA[TAG_ID]]></Id>
	<TagType><![CDATA[tag]]></TagType>
	<ChangeType><![CDATA[create]]></ChangeType>
</xml>`;

const THIRD_PARTY_TAG_SHUFFLE = `<xml>
	<SuiteId><![CDATA[ww4asffe99e54c0f4c]]></SuiteId>
	<AuthCorpId><![CDATA[wxf8b4f85f3a794e77]]></AuthCorpId>
	<InfoType><![CDATA[change_external_tag]]></InfoType>
	<TimeStamp>1403610513</TimeStamp>
	<Id><![CDATA[TAG_ID]]></Id>
	<ChangeType><![CDATA[shuffle]]></ChangeType>
</xml>`;

const SELF_BUILT_CONTACT = `<xml>
	<ToUserName><![CDATA[toUser]]></ToUserName>
	<FromUserName><![CDATA[sys]]></FromUserName> 
	<CreateTime>1403610513</CreateTime>
	<MsgType><![CDATA[event]]></MsgType>
	<Event><![CDATA[change_external_contact]]></Event>
	<ChangeType><![CDATA[add_external_contact]]></ChangeType>
	<UserID><![CDATA[zhangsan]]></UserID>
	<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>
	<State><![CDATA[teststate]]></State>
	<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>
</xml>`;

const SELF_BUILT_TAG = `<xml>
	<ToUserName><![CDATA[CORPID]]></ToUserName>
	<FromUserName><![CDATA[sys]]></FromUserName> 
	<CreateTime>1403610513</CreateTime>
	<MsgType><![CDATA[event]]></MsgType>
	<Event><![CDATA[change_external_tag]]></Event>
	<Id><![CDATA[TAG_ID]]></Id>
	<TagType><![CDATA[tag]]></TagType>
	<ChangeType><![CDATA[create]]></ChangeType>
	<StrategyId>1</StrategyId>
</xml>`;

const SUITE_ID = 'ww4asffe99e54c0f4c';
const AUTH_CORP = 'wxf8b4f85f3a794e77';
const kinds = await databaseKinds();
const opened: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.drop()));
});

describe.each(kinds)('callback event log on %s', (kind) => {
  it('records the documented third-party change events of an authorized corp, each once', async () => {
    const t = await createTestDatabase(kind);
    opened.push(t);
    await t.db
      .insertInto('suite_corps')
      .values({
        suite_id: SUITE_ID,
        corp_id: AUTH_CORP,
        corp_name: '授权企业',
        corp_full_name: null,
        agent_id: '1000010',
        permanent_code: 'pc',
        auth_user_id: null,
        auth_open_user_id: null,
        state: null,
        auth_info: null,
        installed_at: 1,
        updated_at: 1,
      })
      .execute();
    const suite = createSuiteService({
      suite: { suiteId: SUITE_ID, suiteSecret: 's', token: 't', encodingAesKey: 'k' },
      apiBase: 'http://127.0.0.1:9',
      store: createStore('memory:'),
      db: t.db,
      log: () => {},
    });
    for (const xml of [THIRD_PARTY_CONTACT, THIRD_PARTY_CHAT, THIRD_PARTY_TAG, THIRD_PARTY_TAG_SHUFFLE]) {
      await suite.handleInstruction({ message: parseCallbackXml(xml), plaintext: xml });
      // WeCom retries a push it did not see answered: the same event again changes nothing.
      await suite.handleInstruction({ message: parseCallbackXml(xml), plaintext: xml });
    }
    const events = await listEvents(t.db, AUTH_CORP);
    expect(events.map((e) => [e.source, e.event, e.changeType])).toEqual([
      ['suite', 'change_external_tag', 'shuffle'],
      ['suite', 'change_external_tag', 'create'],
      ['suite', 'change_external_chat', 'update'],
      ['suite', 'change_external_contact', 'add_external_contact'],
    ]);
    expect(events[3]).toMatchObject({
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w',
      userId: 'zhangsan',
    });
    expect(events[2]).toMatchObject({ chatId: 'CHAT_ID' });
    expect(events[2]!.fields.MemChangeList).toEqual({ Item: ['Jack', 'Rose'] });
    expect(events[1]).toMatchObject({ tagId: 'TAG_ID' });
    expect(events[0]).toMatchObject({ tagId: 'TAG_ID' });

    // A corp that did not authorize the app gets nothing stored.
    const stranger = THIRD_PARTY_CONTACT.replace(AUTH_CORP, 'wwnotinstalled00001');
    await suite.handleInstruction({ message: parseCallbackXml(stranger), plaintext: stranger });
    expect(await listEvents(t.db, 'wwnotinstalled00001')).toEqual([]);
  });

  it('records the documented self-built events with their columns, a replay once', async () => {
    const t = await createTestDatabase(kind);
    opened.push(t);
    const corpId = 'ww5f3c2a1b9e8d7c60';
    for (const xml of [SELF_BUILT_CONTACT, SELF_BUILT_TAG, SELF_BUILT_CONTACT]) {
      await recordEvent(t.db, { corpId, source: 'app', message: parseCallbackXml(xml), plaintext: xml });
    }
    const rows = await t.db.selectFrom('callback_events').selectAll().orderBy('id').execute();
    expect(
      rows.map((r) => [
        r.event_type,
        r.change_type,
        r.external_userid,
        r.userid,
        r.tag_id,
        r.processed_at !== null,
      ]),
    ).toEqual([
      [
        'change_external_contact',
        'add_external_contact',
        'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
        'zhangsan',
        null,
        true,
      ],
      ['change_external_tag', 'create', null, null, 'TAG_ID', true],
    ]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      MsgType: 'event',
      FromUserName: 'sys',
      State: 'teststate',
    });
  });
});
