import type { SeedApp } from './seed';
import type { EmulatorState } from './state';

/** 可见范围: listed members, or members of a listed department or one of its sub-departments. */
export function inVisibleRange(state: EmulatorState, app: SeedApp, userId: string): boolean {
  const range = app.visibleRange;
  if (!range) return true;
  if (range.userIds.includes(userId)) return true;
  const member = state.employees.find((e) => e.userid === userId);
  if (!member) return false;
  const listed = new Set(range.departmentIds);
  for (const start of member.department) {
    let id: number | undefined = start;
    for (let hops = 0; id !== undefined && hops < 32; hops++) {
      if (listed.has(id)) return true;
      const dept = state.departments.find((d) => d.id === id);
      id = dept && dept.parentid !== 0 ? dept.parentid : undefined;
    }
  }
  return false;
}
