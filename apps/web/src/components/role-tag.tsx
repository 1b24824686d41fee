import { Tag } from 'antd';
import { ROLE_NAMES, type RoleDto } from '@wenming/contracts';

const COLORS: Record<RoleDto['role'], string> = {
  admin: 'red',
  org_admin: 'volcano',
  dispatcher: 'blue',
  dept_officer: 'purple',
};

/** 阵地管理员 · 小店区新时代文明实践中心 */
export function RoleTag({ role }: { role: RoleDto }) {
  const where = role.departmentName ?? role.orgName;
  return (
    <Tag color={COLORS[role.role]} style={{ marginBlock: 2, whiteSpace: 'normal' }}>
      {ROLE_NAMES[role.role]}
      {where ? ` · ${where}` : ''}
    </Tag>
  );
}
