import type { Lang } from '@/lib/bilingual';

export type { Lang };

const zh = {
  placeholder: '输入或粘贴客户的问题，例如：开发票要几天？',
  search: '查找',
  searching: '正在查找…',
  generate: '生成回答',
  generating: '正在生成…',
  suggested: '推荐问题',
  recent: '我最近问过',
  noResults: '知识库中没有找到相关内容。',
  notCovered: '知识库可能没有涵盖这个问题，以下是最接近的段落：',
  send: '发送',
  edit: '编辑后发送',
  cancel: '取消',
  sent: '已发送到聊天',
  sendFailed: '发送失败',
  helpful: '有帮助',
  unhelpful: '没帮助',
  thanks: '感谢反馈',
  answer: '回答',
  citation: '出处',
  sendAnswer: '发送回答',
  error: '查找失败，请重试',
};

const en: typeof zh = {
  placeholder: 'Type or paste the customer’s question, e.g. How soon is the invoice issued?',
  search: 'Search',
  searching: 'Searching…',
  generate: 'Write an answer',
  generating: 'Writing…',
  suggested: 'Suggested questions',
  recent: 'My recent questions',
  noResults: 'Nothing relevant in the knowledge base.',
  notCovered: 'The knowledge base may not cover this; the closest passages:',
  send: 'Send',
  edit: 'Edit and send',
  cancel: 'Cancel',
  sent: 'Sent to the chat',
  sendFailed: 'Could not send',
  helpful: 'Helpful',
  unhelpful: 'Not helpful',
  thanks: 'Thanks for the feedback',
  answer: 'Answer',
  citation: 'Source',
  sendAnswer: 'Send the answer',
  error: 'The search failed; try again',
};

export function assistantText(lang: Lang) {
  return lang === 'en' ? en : zh;
}
