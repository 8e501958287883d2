import type {
  SeedApp,
  SeedCustomer,
  SeedDepartment,
  SeedEmployee,
  SeedGroupChat,
  SeedTagGroup,
} from '../seed';
import { CORP_FULL_NAME, CORP_ID, CORP_NAME } from '../seed';

/**
 * The emulated service provider (服务商) and its third-party app (suite), plus the corps that can install it:
 * the main demo corp and a second, smaller corp with its own employees and customers.
 */
export const SUITE = {
  suiteId: 'wwsuite7c2e91b4d0a6',
  suiteSecret: 'demo-suite-secret-Qm3Xr8Tz1Vb6Nc4Lp9Hs2Kd7Fg5Jw0Ay',
  token: 'demoSuiteToken5Rk8Wq2Zx',
  encodingAesKey: 'kR7mN2pQ9sT4vX8zB3dF6hJ1lC5gW0yA2eI4oU7aS9q',
  providerCorpId: 'wwprov3a8c1e5f7d92',
  name: '客户侧边栏 · 第三方版',
} as const;

export const SUITE_TICKET_TTL_MS = 30 * 60_000;
export const SUITE_TICKET_INTERVAL_MS = 10 * 60_000;
export const SUITE_TOKEN_TTL_MS = 7200_000;
export const PRE_AUTH_CODE_TTL_MS = 1200_000;
export const AUTH_CODE_TTL_MS = 600_000;

export interface SeedCorpData {
  corpId: string;
  name: string;
  fullName: string;
  /** The admin who installs the suite app; auth_user_info.userid. */
  adminUserId: string;
  /** agentid of the suite app once installed in this corp. */
  suiteAgentId: string;
  apps: SeedApp[];
  departments: SeedDepartment[];
  employees: SeedEmployee[];
  customers: SeedCustomer[];
  groupChats: SeedGroupChat[];
  tagGroups: SeedTagGroup[];
  defaultUserId: string;
  defaultExternalUserId: string;
}

export const CORP_B_ID = 'ww7a1d4c9e2b6f8035';

const B_TAG = {
  key: 'etYfG1kEyAcCoUnT7pQ2wE5rT8yU1i01',
  normal: 'etYfG2nOrMaL3aS6dF9gH2jK5lZ8xC02',
  trade: 'etYfH1tRaDeFaIr4qW7eR0tY3uI6oP11',
  online: 'etYfH2oNlInE8zX1cV4bN7mQ0wE3rT12',
};

/** Ids of 28–40 characters beside the usual 32: WeCom promises no length (third-party apps get encrypted ids). */
const B_CUSTOMERS = {
  heXiaoyu: 'wmYf3Kp8Qr2Tz6Vb1Nc5Lm9Hs4Jd7GwA',
  tangJun: 'woYf8Xr1Ty5Ui9Op3As7Df2Gh6Jk0',
  fengLei: 'wmYf5Qa9Ws3Ed7Rf1Tg5Yh9Uj3Ik7OlC-x_q2Zt',
  jiangNan: 'wmYf1Zx5Cv9Bn3Mq7Wr1Ty5Ui9Op',
  chat: 'wrYf6Hs2Kd8Fg4Jw0Ay6Qm2Xr8Tz4VbE',
};

export const CORP_B_WELL_KNOWN = B_CUSTOMERS;

function employee(
  userid: string,
  name: string,
  position: string,
  role: SeedEmployee['role'],
  gender: '1' | '2',
  extra: Partial<SeedEmployee> = {},
): SeedEmployee {
  return {
    userid,
    name,
    position,
    role,
    department: [2],
    isLeader: [0],
    gender,
    mobile: `1370000${String(2000 + userid.length * 7).padStart(4, '0')}`,
    email: `${userid}@yunfan-trade.cn`,
    alias: '',
    address: '杭州市滨江区网商路 699 号',
    externalContact: true,
    directLeader: ['sunli'],
    ...extra,
  };
}

export const CORP_B: SeedCorpData = {
  corpId: CORP_B_ID,
  name: '云帆贸易',
  fullName: '云帆贸易（杭州）有限公司',
  adminUserId: 'sunli',
  suiteAgentId: '1000008',
  apps: [],
  departments: [
    { id: 1, name: '云帆贸易', parentid: 0 },
    { id: 2, name: '外贸部', parentid: 1 },
  ],
  employees: [
    employee('sunli', '孙莉', '外贸总监', 'sales-manager', '2', { isLeader: [1], directLeader: [] }),
    employee('zhoumin', '周敏', '外贸业务员', 'sales', '2'),
    employee('wujun', '吴军', '售后专员', 'support', '1'),
  ],
  customers: [
    {
      external_userid: B_CUSTOMERS.heXiaoyu,
      name: '何晓雨',
      type: 1,
      gender: 2,
      follow: [
        {
          userid: 'sunli',
          remark: '何晓雨-广交会',
          description: '广交会认识，做跨境电商，关注小批量定制',
          daysAgo: 60,
          tagIds: [B_TAG.key, B_TAG.trade],
          remarkMobiles: ['13588886666'],
          addWay: 1,
        },
        {
          userid: 'zhoumin',
          remark: '何姐',
          description: '样品寄送联系人',
          daysAgo: 40,
          tagIds: [B_TAG.normal],
          remarkMobiles: [],
          addWay: 3,
        },
      ],
    },
    {
      external_userid: B_CUSTOMERS.tangJun,
      name: '唐俊',
      type: 2,
      gender: 1,
      corp_name: '远洋航运',
      corp_full_name: '宁波远洋航运有限公司',
      position: '采购经理',
      follow: [
        {
          userid: 'sunli',
          remark: '唐经理',
          description: '年度框架协议，季度下单',
          daysAgo: 200,
          tagIds: [B_TAG.key, B_TAG.online],
          remarkMobiles: ['13966667777'],
          addWay: 2,
        },
      ],
    },
    {
      external_userid: B_CUSTOMERS.fengLei,
      name: '冯磊',
      type: 1,
      gender: 1,
      follow: [
        {
          userid: 'zhoumin',
          remark: '冯磊-询价',
          description: '只与周敏联系',
          daysAgo: 12,
          tagIds: [B_TAG.online],
          remarkMobiles: [],
          addWay: 7,
        },
      ],
    },
    {
      external_userid: B_CUSTOMERS.jiangNan,
      name: '江楠',
      type: 1,
      gender: 2,
      follow: [
        {
          userid: 'sunli',
          remark: '',
          description: '',
          daysAgo: 5,
          tagIds: [],
          remarkMobiles: [],
          addWay: 0,
        },
      ],
    },
  ],
  groupChats: [
    {
      chat_id: B_CUSTOMERS.chat,
      name: '云帆外贸客户群',
      owner: 'sunli',
      createdDaysAgo: 90,
      notice: '云帆贸易客户交流群：报价、样品与物流问题请在此沟通。',
      admin_list: ['zhoumin'],
      members: [
        { userid: 'sunli', type: 1, joinDaysAgo: 90, join_scene: 1 },
        { userid: 'zhoumin', type: 1, joinDaysAgo: 89, join_scene: 1, invitor: 'sunli' },
        { userid: B_CUSTOMERS.heXiaoyu, type: 2, joinDaysAgo: 50, join_scene: 1, invitor: 'sunli' },
        { userid: B_CUSTOMERS.tangJun, type: 2, joinDaysAgo: 45, join_scene: 2 },
      ],
    },
  ],
  tagGroups: [
    {
      group_id: 'etYfGrOuPlEvEl8kQ2wE5rT8yU1iG001',
      group_name: '客户分级',
      order: 2,
      createdDaysAgo: 300,
      tag: [
        { id: B_TAG.key, name: '重点客户', order: 2 },
        { id: B_TAG.normal, name: '一般客户', order: 1 },
      ],
    },
    {
      group_id: 'etYfGrOuPsRcE3aS6dF9gH2jK5lZG002',
      group_name: '获客渠道',
      order: 1,
      createdDaysAgo: 300,
      tag: [
        { id: B_TAG.trade, name: '展会', order: 2 },
        { id: B_TAG.online, name: '线上询盘', order: 1 },
      ],
    },
  ],
  defaultUserId: 'sunli',
  defaultExternalUserId: B_CUSTOMERS.heXiaoyu,
};

/** The main demo corp as an installer of the suite: its data is the main seed; only the suite's agent is added. */
export const CORP_A_INFO = {
  corpId: CORP_ID,
  name: CORP_NAME,
  fullName: CORP_FULL_NAME,
  adminUserId: 'zhangwei',
  suiteAgentId: '1000010',
} as const;

export function suiteApp(agentId: string): SeedApp {
  return {
    agentId,
    name: SUITE.name,
    // Third-party apps have no secret a corp could use with gettoken; this value is never handed out.
    secret: `suite-app-no-secret-${agentId}-${SUITE.suiteId}`,
    externalContact: true,
  };
}
