import type { EmulatorState } from './state';

const COLORS = [
  '#3975c6',
  '#e8684a',
  '#5ab1ef',
  '#19a97b',
  '#f6bd16',
  '#9270ca',
  '#ff7c7c',
  '#2fc25b',
  '#ef6ea0',
  '#6c7a89',
];

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** Display name behind an avatar key (employee userid, external userid, agent-<id>). */
export function avatarName(state: EmulatorState, key: string): string | null {
  const e = state.employees.find((x) => x.userid === key);
  if (e) return e.name;
  const c = state.customers.find((x) => x.external_userid === key);
  if (c) return c.name;
  const app = state.apps.find((a) => `agent-${a.agentId}` === key);
  if (app) return app.name;
  const chat = state.groupChats.find((g) => g.chat_id === key);
  return chat ? chat.name : null;
}

export function avatarSvg(key: string, name: string): string {
  const color = COLORS[hash(key) % COLORS.length]!;
  const initial = ([...name][0] ?? '?').replace(/[&<>]/g, '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">` +
    `<circle cx="64" cy="64" r="64" fill="${color}"/>` +
    `<text x="64" y="64" dy=".35em" text-anchor="middle" font-size="60" fill="#fff" ` +
    `font-family="PingFang SC,Microsoft YaHei,Noto Sans CJK SC,sans-serif">${initial}</text></svg>`
  );
}
