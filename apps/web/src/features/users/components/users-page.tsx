import { useState } from 'react';
import { Button, Card, Input, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { UserDto } from '@wenming/contracts';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { RoleTag } from '../../../components/role-tag';
import { formatDateTime } from '../../../lib/format';
import { useUsers } from '../api/users-api';
import { CreateUserModal } from './create-user-modal';
import { UserDrawer, UserStatusTag } from './user-drawer';
import './users.css';
import { useDocumentTitle } from '../../../lib/use-document-title';

/** 用户与角色: accounts in the caller's scope, their roles, new staff accounts. */
export function UsersPage({ isAdmin }: { isAdmin: boolean }) {
  useDocumentTitle('用户与角色');
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  // The row (or the account just created) is shown at once; an org admin may not be able to
  // re-read a user who holds no role in their subtree yet (GET /users/:id answers 403).
  const [open, setOpen] = useState<UserDto | null>(null);
  const users = useUsers(q);
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div>
      <PageHeader
        title="用户与角色"
        description={
          isAdmin ? '全部用户。为工作人员分配阵地管理员、调度员、职能部门专员角色。' : '在您管辖阵地内拥有角色的工作人员；输入完整的11位手机号可查找其他用户。'
        }
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建工作人员
          </Button>
        }
      />
      <Card>
        <Input.Search
          placeholder="搜索姓名或手机号"
          allowClear
          enterButton="搜索"
          value={input}
          onChange={(e) => {
            setInput(e.target.value);
            if (!e.target.value) setQ('');
          }}
          onSearch={(v) => setQ(v.trim())}
          style={{ maxWidth: 420, marginBottom: 16 }}
        />
        <PagedTable<UserDto>
          query={users}
          items={rows}
          rowKey="id"
          scroll={{ x: 900 }}
          locale={{ emptyText: q ? `没有找到与“${q}”匹配的用户` : '暂无用户' }}
          onRow={(u) => ({ onClick: () => setOpen(u), style: { cursor: 'pointer' } })}
          columns={[
            { title: '姓名', dataIndex: 'name', width: 120, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: '手机号', dataIndex: 'phone', width: 140 },
            {
              title: '角色',
              dataIndex: 'roles',
              render: (roles: UserDto['roles']) =>
                roles.length ? roles.map((r, i) => <RoleTag key={r.id ?? i} role={r} />) : <Typography.Text type="secondary">居民</Typography.Text>,
            },
            { title: '状态', dataIndex: 'status', width: 90, render: (s: UserDto['status']) => <UserStatusTag status={s} /> },
            { title: '注册时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
            {
              title: '操作',
              key: 'op',
              width: 90,
              fixed: 'right',
              render: (_: unknown, u) => (
                <Button
                  type="link"
                  size="small"
                  onClick={(e) => {
                    e.stopPropagation();
                    setOpen(u);
                  }}
                >
                  管理角色
                </Button>
              ),
            },
          ]}
          countText={<>已显示 {rows.length} 位用户</>}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(u) => {
          setCreating(false);
          setOpen(u);
        }}
      />
      <UserDrawer userId={open?.id ?? null} initial={open ?? undefined} onClose={() => setOpen(null)} isAdmin={isAdmin} />
    </div>
  );
}
