/**
 * Seed data of the emulated corp: one corp with a few self-built apps, employees, customers, group chats and a
 * corp tag library. Times are expressed relative to the emulator clock at seed time so that the data always
 * looks recent; everything else is deterministic.
 */

export const CORP_ID = 'ww5f3c2a1b9e8d7c60';
export const CORP_NAME = '星河科技';
export const CORP_FULL_NAME = '星河科技（深圳）有限公司';
export const DOMAIN_VERIFY_CODE = 'Xh7Kp2Lm9Qa4Rt6Z';

export interface SeedApp {
  agentId: string;
  name: string;
  secret: string;
  /** Listed in 客户联系 → 可调用接口的应用 (otherwise externalcontact/* answers 48002). */
  externalContact: boolean;
}

/** The product's app first; the others exist so that per-app and per-corp limits can be exercised. */
export const APPS: SeedApp[] = [
  {
    agentId: '1000002',
    name: '客户侧边栏',
    secret: 'demo-agent-secret-8Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4',
    externalContact: true,
  },
  {
    agentId: '1000003',
    name: '通讯录同步助手',
    secret: 'demo-sync-secret-3Fh7Qw9Er2Ty5Ui8Op1As4Df7Gh0Jk3Lz6Xc9',
    externalContact: false,
  },
  {
    agentId: '1000004',
    name: '审批助手',
    secret: 'demo-approval-secret-6Vb9Nm2Qa5Ws8Ed1Rf4Tg7Yh0Uj3Ik6Ol9',
    externalContact: false,
  },
  {
    agentId: '1000005',
    name: '汇报',
    secret: 'demo-report-secret-1Zx4Cv7Bn0Ml3Kj6Hg9Fd2Sa5Qw8Er1Ty4',
    externalContact: false,
  },
  {
    agentId: '1000006',
    name: '公告',
    secret: 'demo-notice-secret-7Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1Xs0',
    externalContact: false,
  },
];

export const DEMO_AGENT_ID = '1000002';
export const DEMO_AGENT_SECRET = APPS[0]!.secret;

export interface SeedDepartment {
  id: number;
  name: string;
  parentid: number;
}

export const DEPARTMENTS: SeedDepartment[] = [
  { id: 1, name: CORP_NAME, parentid: 0 },
  { id: 2, name: '销售部', parentid: 1 },
  { id: 3, name: '客户服务部', parentid: 1 },
];

export interface SeedEmployee {
  userid: string;
  name: string;
  position: string;
  role: 'sales-manager' | 'sales' | 'support' | 'new-hire';
  department: number[];
  isLeader: number[];
  gender: '0' | '1' | '2';
  mobile: string;
  email: string;
  alias: string;
  address: string;
  /** Has the 客户联系 capability (else externalcontact/list answers 84061). */
  externalContact: boolean;
  directLeader: string[];
}

export const EMPLOYEES: SeedEmployee[] = [
  {
    userid: 'zhangwei',
    name: '张伟',
    position: '销售经理',
    role: 'sales-manager',
    department: [2],
    isLeader: [1],
    gender: '1',
    mobile: '13900001001',
    email: 'zhangwei@xinghe-tech.cn',
    alias: 'David Zhang',
    address: '深圳市南山区科技园南区 8 栋',
    externalContact: true,
    directLeader: [],
  },
  {
    userid: 'lina',
    name: '李娜',
    position: '客户经理',
    role: 'sales',
    department: [2],
    isLeader: [0],
    gender: '2',
    mobile: '13900001002',
    email: 'lina@xinghe-tech.cn',
    alias: 'Nina Li',
    address: '深圳市南山区科技园南区 8 栋',
    externalContact: true,
    directLeader: ['zhangwei'],
  },
  {
    userid: 'wangfang',
    name: '王芳',
    position: '客户经理',
    role: 'sales',
    department: [2],
    isLeader: [0],
    gender: '2',
    mobile: '13900001003',
    email: 'wangfang@xinghe-tech.cn',
    alias: 'Fiona Wang',
    address: '上海市浦东新区张江高科 2 号楼',
    externalContact: true,
    directLeader: ['zhangwei'],
  },
  {
    userid: 'liuyang',
    name: '刘洋',
    position: '售后支持工程师',
    role: 'support',
    department: [3],
    isLeader: [1],
    gender: '1',
    mobile: '13900001004',
    email: 'liuyang@xinghe-tech.cn',
    alias: 'Leo Liu',
    address: '深圳市南山区科技园南区 8 栋',
    externalContact: true,
    directLeader: [],
  },
  {
    userid: 'chenjing',
    name: '陈静',
    position: '客户成功专员',
    role: 'support',
    department: [3],
    isLeader: [0],
    gender: '2',
    mobile: '13900001005',
    email: 'chenjing@xinghe-tech.cn',
    alias: 'Jing Chen',
    address: '杭州市西湖区文三路 90 号',
    externalContact: true,
    directLeader: ['liuyang'],
  },
  {
    userid: 'zhaolei',
    name: '赵磊',
    position: '销售助理（试用期）',
    role: 'new-hire',
    department: [2],
    isLeader: [0],
    gender: '1',
    mobile: '13900001006',
    email: 'zhaolei@xinghe-tech.cn',
    alias: 'Ray Zhao',
    address: '深圳市南山区科技园南区 8 栋',
    externalContact: false,
    directLeader: ['zhangwei'],
  },
];

export const DEFAULT_USER_ID = 'zhangwei';

/**
 * IDs printed in WeCom's own documentation, seeded verbatim so that tests use them as a new user would: WeCom
 * documents no fixed length (these are 28 to 32 characters long) and real tenants' 32-character IDs are a habit,
 * not a promise.
 */
export const DOC_IDS = {
  /** externalcontact/list example (31 characters), a 企业微信 customer. */
  listWecomCustomer: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAA',
  /** externalcontact/list example (32), a WeChat customer. */
  listWechatCustomer: 'wmqfasd1e1927831291723123109rAAA',
  /** externalcontact/get example (32): 李四 of 腾讯, a 企业微信 customer with external_profile. */
  getCustomer: 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA',
  /** groupchat/get example (30). */
  chat: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
  /** groupchat/list example (28). */
  listChat: 'wrOgQhDgAAcwMTB7YmDkbeBsAAAA',
  /** groupchat/get example member (32): a WeChat user in the group who is nobody's customer. */
  chatOnlyMember: 'wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA',
  /** externalcontact/get example tag (32). */
  tag: 'etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA',
} as const;

export interface SeedTag {
  id: string;
  name: string;
  order: number;
  /** Unix seconds; absent for seed tags (their time follows the group's createdDaysAgo). */
  createTime?: number;
  /** Deleted tags stay resolvable by id (get_corp_tag_list with tag_id answers deleted: true). */
  deleted?: boolean;
  /** The agentid of the app that created it through the API; absent = created in the admin console. */
  createdBy?: string;
}
export interface SeedTagGroup {
  group_id: string;
  group_name: string;
  order: number;
  /** Days before seed time. */
  createdDaysAgo: number;
  createTime?: number;
  deleted?: boolean;
  createdBy?: string;
  tag: SeedTag[];
}

export const TAG_GROUPS: SeedTagGroup[] = [
  {
    group_id: 'etcmQNQw1OkGAB7s8KiqQ6RNBg8Kg001',
    group_name: '客户等级',
    order: 4,
    createdDaysAgo: 700,
    tag: [
      // The tag id of the externalcontact/get example in WeCom's docs, verbatim.
      { id: DOC_IDS.tag, name: '战略客户', order: 4 },
      { id: 'etLvA1vIP00Xq7mK2pR9sT4uW6yZ8b01', name: '重要客户', order: 3 },
      { id: 'etLvA2nOrM4lQw8eR5tY1uI3oP6aS002', name: '普通客户', order: 2 },
      { id: 'etLvA3pOtE9nTiAl6cU2sT0mE7rX5003', name: '潜在客户', order: 1 },
    ],
  },
  {
    group_id: 'etcmQNQw1OkGAB7s8KiqQ6RNBg8Kg002',
    group_name: '客户来源',
    order: 3,
    createdDaysAgo: 690,
    tag: [
      { id: 'etSrC1oFfLiNeEvEnT4kQ8wZ2xV6b011', name: '线下活动', order: 4 },
      { id: 'etSrC2wEbSiTeInQuIrY7hJ3gF5dS012', name: '官网咨询', order: 3 },
      { id: 'etSrC3rEfErRaL9pL1kJ6hG4fD2sA013', name: '老客户转介绍', order: 2 },
      { id: 'etSrC4eXpO2o24TrAdEfAiR8mN5bV014', name: '展会', order: 1 },
    ],
  },
  {
    group_id: 'etcmQNQw1OkGAB7s8KiqQ6RNBg8Kg003',
    group_name: '意向产品',
    order: 2,
    createdDaysAgo: 500,
    tag: [
      { id: 'etPdT1eNtErPrIsE3qW7eR9tY2uI4021', name: '企业版', order: 3 },
      { id: 'etPdT2pRoFeSsIoN5aL8sD1fG6hJk022', name: '专业版', order: 2 },
      { id: 'etPdT3pRiVaTeDePlOy6mN0bV4cX9023', name: '私有化部署', order: 1 },
    ],
  },
  {
    group_id: 'etcmQNQw1OkGAB7s8KiqQ6RNBg8Kg004',
    group_name: '跟进阶段',
    order: 1,
    createdDaysAgo: 400,
    tag: [
      { id: 'etStG1fIrStCoNtAcT8zX5cV2bN7m031', name: '初次接触', order: 4 },
      { id: 'etStG2nEeDcOnFiRm4aS6dF8gH1jK032', name: '需求确认', order: 3 },
      { id: 'etStG3qUoTaTiOn9qW2eR5tY8uI0oP33', name: '方案报价', order: 2 },
      { id: 'etStG4wOnDeAlCl0sEd7zX3cV6bN9m34', name: '已成交', order: 1 },
    ],
  },
];

export const TAG = {
  important: 'etLvA1vIP00Xq7mK2pR9sT4uW6yZ8b01',
  normal: 'etLvA2nOrM4lQw8eR5tY1uI3oP6aS002',
  potential: 'etLvA3pOtE9nTiAl6cU2sT0mE7rX5003',
  offline: 'etSrC1oFfLiNeEvEnT4kQ8wZ2xV6b011',
  website: 'etSrC2wEbSiTeInQuIrY7hJ3gF5dS012',
  referral: 'etSrC3rEfErRaL9pL1kJ6hG4fD2sA013',
  expo: 'etSrC4eXpO2o24TrAdEfAiR8mN5bV014',
  enterprise: 'etPdT1eNtErPrIsE3qW7eR9tY2uI4021',
  pro: 'etPdT2pRoFeSsIoN5aL8sD1fG6hJk022',
  onPrem: 'etPdT3pRiVaTeDePlOy6mN0bV4cX9023',
  firstContact: 'etStG1fIrStCoNtAcT8zX5cV2bN7m031',
  needs: 'etStG2nEeDcOnFiRm4aS6dF8gH1jK032',
  quote: 'etStG3qUoTaTiOn9qW2eR5tY8uI0oP33',
  won: 'etStG4wOnDeAlCl0sEd7zX3cV6bN9m34',
} as const;

export interface SeedFollow {
  userid: string;
  remark: string;
  description: string;
  daysAgo: number;
  /** Corp tag ids (type 1). */
  tagIds: string[];
  /** Personal tags (type 2, no tag_id). */
  personalTags?: string[];
  remarkCorpName?: string;
  remarkMobiles: string[];
  addWay: number;
  /** Unix seconds when added after seeding (overrides daysAgo). */
  createTime?: number;
  /** `oper_userid` override (default: the member for most add ways, the customer for 7 etc.). */
  operUserid?: string;
  state?: string;
  /** add_way 10 (视频号): the channel the customer came from. */
  wechatChannels?: { nickname: string; source: number };
}

export interface SeedCustomer {
  external_userid: string;
  name: string;
  /** 1 = 微信用户, 2 = 企业微信用户. */
  type: 1 | 2;
  gender: 0 | 1 | 2;
  /** WeChat customers only, when the corp bound a WeChat developer ID; never given to third-party apps. */
  unionid?: string;
  corp_name?: string;
  corp_full_name?: string;
  position?: string;
  external_profile?: {
    external_attr: Array<
      | { type: 0; name: string; text: { value: string } }
      | { type: 1; name: string; web: { url: string; title: string } }
      | { type: 2; name: string; miniprogram: { appid: string; pagepath: string; title: string } }
    >;
  };
  follow: SeedFollow[];
}

export const WELL_KNOWN = {
  linXiaomei: 'wmjuw5B7nF7nJXr9JPFUjXaXS1huWMxn',
  zhouJianguo: 'wokDF9uHmLV4kyUfpavObozgpuIEjrsW',
  onlyLina: 'wmHCTkc7aJVnIAdlE5dk7OVevZOTK9rp',
  noFollowers: 'wm3Cakw91Um3jXNLdcoZy9B55pNyhLwH',
  vipChat: 'wrcmQNQw1OkGAB7s8KiqQ6RNBg8KgyTM',
  channelChat: 'wrQaUhneDrDzfNkk9tc5bATvCN8rVl9x',
} as const;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64URL = `${ID_ALPHABET}-_`;

/**
 * Lengths of the generated customers' ids, by position: mostly 32 as seen in real tenants, the others 28–40,
 * because WeCom promises no length.
 */
const ID_LENGTHS = [
  32, 32, 28, 32, 36, 32, 29, 32, 40, 32, 33, 32, 31, 32, 30, 32, 34, 32, 38, 32, 32, 35, 32, 39, 32, 37,
];

/** Deterministic PRNG so that generated ids and assignments are identical on every start. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-character id from `rand`, then cut or extended (from its own stream, URL-safe base64) to `length`. */
function makeId(rand: () => number, prefix: string, length = 32): string {
  let s = prefix;
  while (s.length < 32) s += ID_ALPHABET[Math.floor(rand() * ID_ALPHABET.length)];
  const more = prng(length * 7919 + s.charCodeAt(2));
  while (s.length < length) s += BASE64URL[Math.floor(more() * BASE64URL.length)];
  return s.slice(0, length);
}

const WECHAT_NAMES = [
  '孙丽华',
  '马俊杰',
  '黄雅婷',
  '郭志强',
  '何佳怡',
  '高明轩',
  '罗晓燕',
  '梁浩然',
  '宋雨欣',
  '谢文博',
  '韩冰',
  '唐诗雨',
  '冯子豪',
  '董美玲',
  '程一鸣',
  '曹欣然',
  '袁立新',
  '邓可欣',
  '彭小军',
  '潘婉清',
  '杜鹏飞',
  '范思琪',
  '方建华',
  '石悦',
];
const WECOM_PEOPLE: Array<[string, string, string, string]> = [
  ['许志远', '云帆物流', '云帆物流（上海）有限公司', '运营总监'],
  ['沈佳琪', '青禾教育', '杭州青禾教育科技有限公司', 'IT 主管'],
  ['吕伟', '恒达制造', '苏州恒达精密制造有限公司', '采购经理'],
  ['蒋文静', '聚能新材', '宁波聚能新材料股份有限公司', '总经理助理'],
  ['魏国栋', '锦程医疗', '广州锦程医疗器械有限公司', '信息部经理'],
  ['田晓峰', '星途旅行', '成都星途旅行社有限公司', '市场部负责人'],
];

const REMARK_SUFFIX = ['-老客户', '-意向强', '-待回访', '', '-报价中', '-续费'];
const DESCRIPTIONS = [
  '关注价格，倾向年付',
  '上次展会认识，对私有化部署感兴趣',
  '需要对接 ERP 系统',
  '决策人，预算已批',
  '试用中，反馈界面友好',
  '朋友推荐，重视售后响应速度',
  '',
  '季度采购，需开具专票',
];
const ADD_WAYS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 1, 3, 201, 202, 1, 2, 16];

function mobile(rand: () => number): string {
  const prefixes = ['138', '139', '186', '135', '158', '177', '150'];
  let s = prefixes[Math.floor(rand() * prefixes.length)]!;
  while (s.length < 11) s += String(Math.floor(rand() * 10));
  return s;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function buildCustomers(): SeedCustomer[] {
  const rand = prng(20240607);
  const allTags = Object.values(TAG);
  const groupOf = (tagId: string) => TAG_GROUPS.find((g) => g.tag.some((t) => t.id === tagId))!.group_id;

  const customers: SeedCustomer[] = [
    {
      external_userid: WELL_KNOWN.linXiaomei,
      name: '林晓梅',
      type: 1,
      gender: 2,
      follow: [
        {
          userid: 'zhangwei',
          remark: '林晓梅-采购主管',
          description: '华南区经销商采购负责人，关注年度框架协议和交付周期',
          daysAgo: 412,
          tagIds: [TAG.important, TAG.enterprise, TAG.quote],
          personalTags: ['爱喝茶'],
          remarkCorpName: '南粤商贸',
          remarkMobiles: ['13812345678', '075586001234'],
          addWay: 1,
          state: 'expo-2025-shenzhen',
        },
        {
          userid: 'lina',
          remark: '林姐',
          description: '合同与发票对接',
          daysAgo: 300,
          tagIds: [TAG.normal],
          remarkMobiles: ['13812345678'],
          addWay: 201,
          operUserid: 'zhangwei',
        },
        {
          userid: 'wangfang',
          remark: '林晓梅（南粤）',
          description: '',
          daysAgo: 95,
          tagIds: [],
          remarkMobiles: [],
          addWay: 3,
        },
      ],
    },
    {
      external_userid: WELL_KNOWN.zhouJianguo,
      name: '周建国',
      type: 2,
      gender: 1,
      corp_name: '华信科技',
      corp_full_name: '上海华信科技有限公司',
      position: '采购总监',
      external_profile: {
        external_attr: [
          { type: 0, name: '办公地址', text: { value: '上海市徐汇区漕河泾开发区 18 号' } },
          { type: 1, name: '官网', web: { url: 'https://www.example.com/huaxin', title: '华信科技' } },
        ],
      },
      follow: [
        {
          userid: 'zhangwei',
          remark: '周总',
          description: '华信年度采购决策人，偏好私有化部署',
          daysAgo: 230,
          tagIds: [TAG.important, TAG.onPrem, TAG.needs],
          remarkMobiles: ['13661234567'],
          addWay: 2,
        },
      ],
    },
    {
      external_userid: WELL_KNOWN.onlyLina,
      name: '陈思远',
      type: 1,
      gender: 1,
      follow: [
        {
          userid: 'lina',
          remark: '陈思远-渠道',
          description: '华东渠道代理，只与李娜对接',
          daysAgo: 150,
          tagIds: [TAG.potential, TAG.referral],
          remarkMobiles: ['13788889999'],
          addWay: 7,
        },
      ],
    },
    {
      external_userid: WELL_KNOWN.noFollowers,
      name: '吴婷',
      type: 1,
      gender: 2,
      follow: [],
    },
  ];

  // Generated customers: about a dozen more for zhangwei, the rest spread over the team.
  const followersPlan: string[][] = [
    ['zhangwei'],
    ['zhangwei', 'liuyang'],
    ['zhangwei'],
    ['zhangwei', 'chenjing'],
    ['zhangwei'],
    ['zhangwei', 'wangfang'],
    ['zhangwei'],
    ['zhangwei'],
    ['zhangwei', 'lina'],
    ['zhangwei'],
    ['zhangwei', 'liuyang'],
    ['zhangwei'],
    ['zhangwei'],
    ['lina'],
    ['lina', 'chenjing'],
    ['lina'],
    ['wangfang'],
    ['wangfang', 'liuyang'],
    ['wangfang'],
    ['liuyang'],
    ['chenjing'],
    ['chenjing', 'lina'],
    ['lina'],
    ['wangfang'],
    ['chenjing'],
    ['liuyang', 'lina'],
  ];
  let wechatIdx = 0;
  let wecomIdx = 0;
  followersPlan.forEach((followers, i) => {
    const isWecom = i % 4 === 1;
    let name: string;
    let extra: Partial<SeedCustomer> = {};
    if (isWecom && wecomIdx < WECOM_PEOPLE.length) {
      const [n, corp, full, pos] = WECOM_PEOPLE[wecomIdx++]!;
      name = n;
      extra = { corp_name: corp, corp_full_name: full, position: pos };
    } else {
      name = WECHAT_NAMES[wechatIdx++ % WECHAT_NAMES.length]!;
    }
    const type: 1 | 2 = extra.corp_name ? 2 : 1;
    const id = makeId(rand, type === 2 ? 'wo' : 'wm', ID_LENGTHS[i % ID_LENGTHS.length]);
    const gender = pick(rand, [0, 1, 2, 1, 2] as const);
    const follow: SeedFollow[] = followers.map((userid, j) => {
      const tagCount = Math.floor(rand() * 3);
      const tagIds: string[] = [];
      for (let k = 0; k < tagCount; k++) {
        const t = pick(rand, allTags);
        // One tag per group keeps the seed realistic.
        if (!tagIds.some((x) => groupOf(x) === groupOf(t))) tagIds.push(t);
      }
      const addWay = j > 0 && rand() < 0.5 ? pick(rand, [201, 202]) : pick(rand, ADD_WAYS);
      const hasMobile = rand() < 0.6;
      return {
        userid,
        remark: rand() < 0.8 ? `${name}${pick(rand, REMARK_SUFFIX)}` : '',
        description: pick(rand, DESCRIPTIONS),
        daysAgo: Math.floor(rand() * 720) + 1,
        tagIds,
        personalTags: rand() < 0.15 ? [pick(rand, ['周末联系', '喜欢电话沟通', '价格敏感'])] : undefined,
        remarkCorpName:
          type === 1 && rand() < 0.3 ? pick(rand, ['个体经营', '自由职业', '家族企业']) : undefined,
        remarkMobiles: hasMobile ? [mobile(rand)] : [],
        addWay,
        operUserid: addWay === 201 || addWay === 202 ? 'zhangwei' : undefined,
      };
    });
    customers.push({ external_userid: id, name, type, gender, ...extra, follow });
  });
  customers.push(...docCustomers());
  return customers;
}

/** The customers whose ids are the examples of WeCom's docs (see DOC_IDS). */
function docCustomers(): SeedCustomer[] {
  return [
    {
      // The customer of WeCom's externalcontact/get example, field for field.
      external_userid: DOC_IDS.getCustomer,
      name: '李四',
      type: 2,
      gender: 1,
      corp_name: '腾讯',
      corp_full_name: '腾讯科技有限公司',
      position: 'Manager',
      external_profile: {
        external_attr: [
          { type: 0, name: '文本名称', text: { value: '文本' } },
          { type: 1, name: '网页名称', web: { url: 'http://www.test.com', title: '标题' } },
          {
            type: 2,
            name: '测试app',
            miniprogram: { appid: 'wx8bd80126147df384', pagepath: '/index', title: 'my miniprogram' },
          },
        ],
      },
      follow: [
        {
          userid: 'zhangwei',
          remark: '李部长',
          description: '对接采购事务',
          daysAgo: 20,
          tagIds: [DOC_IDS.tag],
          personalTags: ['标签名称'],
          remarkMobiles: ['13800000001', '13000000002'],
          addWay: 10,
          wechatChannels: { nickname: '视频号名称', source: 1 },
        },
        {
          userid: 'lina',
          remark: '李总',
          description: '采购问题咨询',
          daysAgo: 18,
          tagIds: [],
          remarkMobiles: [],
          addWay: 3,
          operUserid: DOC_IDS.getCustomer,
          state: '外联二维码1',
        },
      ],
    },
    {
      external_userid: DOC_IDS.listWecomCustomer,
      name: '郑凯',
      type: 2,
      gender: 1,
      corp_name: '北辰软件',
      corp_full_name: '北京北辰软件有限公司',
      position: '技术总监',
      follow: [
        {
          userid: 'zhangwei',
          remark: '郑总-北辰',
          description: '评估私有化部署，关注数据安全',
          daysAgo: 8,
          tagIds: [TAG.potential, TAG.onPrem],
          remarkMobiles: ['13911112222'],
          addWay: 2,
        },
      ],
    },
    {
      external_userid: DOC_IDS.listWechatCustomer,
      name: '王语嫣',
      type: 1,
      gender: 2,
      unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA',
      follow: [
        {
          userid: 'zhangwei',
          remark: '王语嫣-门店',
          description: '连锁门店店长，想先试用专业版',
          daysAgo: 3,
          tagIds: [TAG.pro],
          personalTags: ['周末联系'],
          remarkCorpName: '曼陀山庄连锁',
          remarkMobiles: [],
          addWay: 1,
          state: 'store-qr-07',
        },
      ],
    },
  ];
}

export const CUSTOMERS: SeedCustomer[] = buildCustomers();

export interface SeedChatMember {
  userid: string;
  /** 1 = 企业成员, 2 = 外部联系人. */
  type: 1 | 2;
  joinDaysAgo: number;
  /** Unix seconds when joined after seeding (overrides joinDaysAgo). */
  joinTime?: number;
  /** 1 直接邀请, 2 邀请链接, 3 扫描群二维码. */
  join_scene: 1 | 2 | 3;
  invitor?: string;
  group_nickname?: string;
  /** External members who are nobody's customer carry their own name (and unionid for WeChat users). */
  name?: string;
  unionid?: string;
}

export interface SeedGroupChat {
  chat_id: string;
  name: string;
  owner: string;
  createdDaysAgo: number;
  notice: string;
  admin_list: string[];
  members: SeedChatMember[];
  /** Bumped on every join or leave (the member version changes with it). */
  memberRevision?: number;
  dismissed?: boolean;
}

function members(
  owner: string,
  createdDaysAgo: number,
  employees: string[],
  customers: string[],
  nicknames: Record<string, string> = {},
): SeedChatMember[] {
  const out: SeedChatMember[] = [{ userid: owner, type: 1, joinDaysAgo: createdDaysAgo, join_scene: 1 }];
  employees
    .filter((u) => u !== owner)
    .forEach((u, i) =>
      out.push({ userid: u, type: 1, joinDaysAgo: createdDaysAgo - i, join_scene: 1, invitor: owner }),
    );
  customers.forEach((c, i) =>
    out.push({
      userid: c,
      type: 2,
      joinDaysAgo: Math.max(1, createdDaysAgo - 3 - i * 5),
      join_scene: ((i % 3) + 1) as 1 | 2 | 3,
      invitor: i % 3 === 0 ? owner : undefined,
      group_nickname: nicknames[c],
    }),
  );
  return out;
}

function customersOf(userid: string): string[] {
  return CUSTOMERS.filter((c) => c.follow.some((f) => f.userid === userid)).map((c) => c.external_userid);
}

export const GROUP_CHATS: SeedGroupChat[] = [
  {
    chat_id: WELL_KNOWN.vipChat,
    name: 'VIP客户服务群',
    owner: 'zhangwei',
    createdDaysAgo: 380,
    notice: '欢迎加入星河科技 VIP 客户服务群！工作日 9:00-18:00 专人响应，紧急问题请直接 @客服。',
    admin_list: ['liuyang'],
    members: members(
      'zhangwei',
      380,
      ['zhangwei', 'liuyang', 'chenjing'],
      [WELL_KNOWN.linXiaomei, WELL_KNOWN.zhouJianguo, ...customersOf('zhangwei').slice(2, 7)],
      { [WELL_KNOWN.linXiaomei]: '南粤-林晓梅' },
    ),
  },
  {
    chat_id: WELL_KNOWN.channelChat,
    name: '华东渠道交流群',
    owner: 'lina',
    createdDaysAgo: 260,
    notice: '华东区渠道伙伴交流：产品更新、政策通知在此发布。',
    admin_list: ['wangfang'],
    members: members(
      'lina',
      260,
      ['lina', 'wangfang'],
      [WELL_KNOWN.onlyLina, ...customersOf('lina').slice(2, 5)],
    ),
  },
  {
    chat_id: 'wrXk3Pq8RmT2vLw9Ys4Zn7Bc1Df6Gh0J',
    name: '私有化部署技术支持群',
    owner: 'liuyang',
    createdDaysAgo: 150,
    notice: '',
    admin_list: [],
    members: members(
      'liuyang',
      150,
      ['liuyang', 'zhangwei', 'chenjing'],
      [WELL_KNOWN.zhouJianguo, ...customersOf('liuyang')],
    ),
  },
  {
    // The group of WeCom's groupchat/get example.
    chat_id: DOC_IDS.chat,
    name: '销售客服群',
    owner: 'zhangwei',
    createdDaysAgo: 30,
    notice: '文明沟通，拒绝脏话',
    admin_list: ['lina'],
    members: [
      ...members(
        'zhangwei',
        30,
        ['zhangwei', 'lina'],
        [DOC_IDS.getCustomer, DOC_IDS.listWecomCustomer, DOC_IDS.listWechatCustomer],
        { [DOC_IDS.listWechatCustomer]: '店长小王' },
      ),
      {
        userid: DOC_IDS.chatOnlyMember,
        type: 2,
        joinDaysAgo: 2,
        join_scene: 1,
        invitor: 'zhangwei',
        group_nickname: '顾客老王',
        name: '王老板',
        unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdBBB',
      },
    ],
  },
  {
    chat_id: DOC_IDS.listChat,
    name: '渠道伙伴答疑群',
    owner: 'lina',
    createdDaysAgo: 12,
    notice: '',
    admin_list: [],
    members: members('lina', 12, ['lina', 'chenjing'], [WELL_KNOWN.onlyLina]),
  },
  {
    chat_id: 'wrN5sQ2wE8rT1yU4iO7pA3sD6fG9hJ0K',
    name: '新品试用体验群',
    owner: 'wangfang',
    createdDaysAgo: 40,
    notice: '新品试用期间的问题与建议欢迎反馈，我们会在 24 小时内回复。',
    admin_list: [],
    members: members('wangfang', 40, ['wangfang', 'chenjing'], customersOf('wangfang').slice(0, 4)),
  },
];

/** The WeCom client state a fresh emulator starts with: zhangwei chatting with 林晓梅. */
export const DEFAULT_CLIENT = {
  userId: DEFAULT_USER_ID,
  entry: 'single_chat_tools' as const,
  externalUserId: WELL_KNOWN.linXiaomei as string | null,
  chatId: null as string | null,
  flavour: null,
  version: null as string | null,
  formats: {},
};
