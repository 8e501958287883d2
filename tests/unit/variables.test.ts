import { describe, expect, it } from 'vitest';
import { hasVariables, resolveVariables, type VariableContext } from '@/lib/content/variables';

const single: VariableContext = {
  chat: 'single',
  customer: { name: '李雷', remark: '李总', remarkCorpName: null, corpName: '华信科技' },
  member: { name: '张三' },
};

describe('resolveVariables', () => {
  it('replaces the four variables for a one-to-one chat', () => {
    const r = resolveVariables('{客户称呼}您好，我是{我的名字}。{客户名}在{公司}吗？', single);
    expect(r.text).toBe('李总您好，我是张三。李雷在华信科技吗？');
    expect(r.flagged).toEqual([]);
    expect(r.hasVariables).toBe(true);
  });

  it('addresses the customer by name when the member has no remark', () => {
    const r = resolveVariables('{客户称呼}好', { ...single, customer: { name: '李雷', remark: '  ' } });
    expect(r.text).toBe('李雷好');
  });

  it('prefers the company the member recorded', () => {
    const r = resolveVariables('{公司}', {
      ...single,
      customer: { name: 'x', remarkCorpName: '南粤商贸', corpName: '华信' },
    });
    expect(r.text).toBe('南粤商贸');
  });

  it('keeps an unknown variable visible and flags it once', () => {
    const r = resolveVariables('祝{生日}快乐，{客户称呼}！再次祝{生日}快乐', single);
    expect(r.text).toBe('祝{生日}快乐，李总！再次祝{生日}快乐');
    expect(r.flagged).toEqual([{ name: '生日', problem: 'unknown' }]);
    expect(r.segments.filter((s) => s.kind === 'flagged')).toHaveLength(2);
  });

  it('flags customer variables in a group chat instead of guessing, and still fills in the member', () => {
    const r = resolveVariables('{客户称呼}、{客户名}、{公司}：我是{我的名字}', {
      chat: 'group',
      member: { name: '张三' },
    });
    expect(r.text).toBe('{客户称呼}、{客户名}、{公司}：我是张三');
    expect(r.flagged).toEqual([
      { name: '客户称呼', problem: 'group' },
      { name: '客户名', problem: 'group' },
      { name: '公司', problem: 'group' },
    ]);
  });

  it('flags customer variables when the attachment bar gives no customer', () => {
    const r = resolveVariables('{客户名}，我是{我的名字}', { chat: 'unknown', member: { name: '张三' } });
    expect(r.text).toBe('{客户名}，我是张三');
    expect(r.flagged).toEqual([{ name: '客户名', problem: 'no-customer' }]);
  });

  it('flags a known variable without a value for this customer', () => {
    const r = resolveVariables('{公司}', { chat: 'single', customer: { name: '王五' } });
    expect(r.text).toBe('{公司}');
    expect(r.flagged).toEqual([{ name: '公司', problem: 'missing' }]);
  });

  it('accepts full-width braces and leaves text without variables alone', () => {
    expect(resolveVariables('｛客户名｝你好', single).text).toBe('李雷你好');
    const plain = resolveVariables('价格 {} 与 { } 不是变量', single);
    expect(plain.text).toBe('价格 {} 与 { } 不是变量');
    expect(plain.hasVariables).toBe(false);
    expect(resolveVariables('没有变量', single)).toEqual({
      text: '没有变量',
      segments: [{ kind: 'text', text: '没有变量' }],
      hasVariables: false,
      flagged: [],
    });
  });

  it('hasVariables spots a template to preview', () => {
    expect(hasVariables('{客户称呼}你好')).toBe(true);
    expect(hasVariables('你好 {}')).toBe(false);
    expect(hasVariables('{生日}')).toBe(true);
  });
});
