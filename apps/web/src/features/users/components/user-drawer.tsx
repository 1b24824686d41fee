import { App, Button, Descriptions, Divider, Drawer, Empty, Grid, Popconfirm, Spin, Tag } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import type { RoleDto, UserDto } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { RoleTag } from '../../../components/role-tag';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useRevokeRole, useUser } from '../api/users-api';
import { GrantRoleForm } from './grant-role-form';

export function UserStatusTag({ status }: { status: UserDto['status'] }) {
  return status === 'active' ? <Tag color="success">正常</Tag> : <Tag>已停用</Tag>;
}

/** A user's account and roles: grant and revoke. */
export function UserDrawer({ userId, initial, onClose, isAdmin }: { userId: string | null; initial?: UserDto; onClose: () => void; isAdmin: boolean }) {
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const user = useUser(userId, initial);
  const revoke = useRevokeRole(userId ?? '');

  // Only admins appoint (and dismiss) department officers; admins cannot be changed here.
  const canRevoke = (r: RoleDto) => !!r.id && r.role !== 'admin' && (isAdmin || r.role !== 'dept_officer');

  return (
    <Drawer
      open={!!userId}
      onClose={onClose}
      size={screens.md ? 560 : '100%'}
      title={user.data ? `用户：${user.data.name}` : '用户详情'}
      destroyOnHidden
      rootClassName="user-drawer"
    >
      {!user.data ? (
        user.isError ? (
          <QueryError error={user.error} onRetry={() => void user.refetch()} />
        ) : (
          <Spin />
        )
      ) : (
        <>
          <Descriptions
            column={1}
            bordered
            size="small"
            styles={{ label: { width: 110 } }}
            items={[
              { key: 'name', label: '姓名', children: user.data.name },
              { key: 'phone', label: '手机号', children: user.data.phone },
              { key: 'status', label: '状态', children: <UserStatusTag status={user.data.status} /> },
              { key: 'createdAt', label: '注册时间', children: formatDateTime(user.data.createdAt) },
            ]}
          />
          <Divider titlePlacement="start">角色</Divider>
          {user.data.roles.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无角色（普通居民）" />
          ) : (
            <ul className="role-list" data-testid="user-roles">
              {user.data.roles.map((r, i) => (
                <li key={r.id ?? `${r.role}-${i}`}>
                  <RoleTag role={r} />
                  {canRevoke(r) && (
                    <Popconfirm
                      title="撤销该角色？"
                      description="撤销后该用户将立即失去相应权限。"
                      okText="撤销"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={async () => {
                        try {
                          await revoke.mutateAsync(r.id!);
                          message.success('已撤销');
                        } catch (e) {
                          message.error(errorMessage(e));
                        }
                      }}
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />}>
                        撤销
                      </Button>
                    </Popconfirm>
                  )}
                </li>
              ))}
            </ul>
          )}
          <Divider titlePlacement="start">授予角色</Divider>
          <GrantRoleForm userId={user.data.id} isAdmin={isAdmin} />
        </>
      )}
    </Drawer>
  );
}
