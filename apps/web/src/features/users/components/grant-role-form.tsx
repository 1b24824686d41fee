import { useState } from 'react';
import { Alert, App, Button, Form, Select } from 'antd';
import { ROLE_NAMES, ZGrantRoleBody, type GrantableRole } from '@wenming/contracts';
import { DepartmentSelect } from '../../../components/department-select';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { useGrantRole } from '../api/users-api';

interface Values {
  role?: GrantableRole;
  orgId?: string;
  departmentId?: string;
}

const HINTS: Record<GrantableRole, string> = {
  org_admin: '管理所选阵地及其全部下级：阵地、用户、职能部门',
  dispatcher: '在所选阵地及其下级处理群众点单、派单',
  dept_officer: '接收并答复转办到所选职能部门的信访、投诉',
};

/** 授予角色: role, the site it is scoped to, and for 职能部门专员 the department. */
export function GrantRoleForm({ userId, isAdmin }: { userId: string; isAdmin: boolean }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const grant = useGrantRole(userId);
  const [formError, setFormError] = useState<string | null>(null);
  const role = Form.useWatch('role', form);
  const orgId = Form.useWatch('orgId', form);
  const roles: GrantableRole[] = isAdmin ? ['org_admin', 'dispatcher', 'dept_officer'] : ['org_admin', 'dispatcher'];

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    if (!v.role) {
      form.setFields([{ name: ['role'], errors: ['请选择角色'] }]);
      return;
    }
    const body = validateForm(form, ZGrantRoleBody, {
      role: v.role,
      orgId: v.role === 'dept_officer' ? undefined : v.orgId,
      departmentId: v.role === 'dept_officer' ? v.departmentId : undefined,
    });
    if (!body) return;
    try {
      await grant.mutateAsync(body);
      message.success(`已授予「${ROLE_NAMES[body.role]}」`);
      form.resetFields();
    } catch (e) {
      setFormError(applyApiError(form, e, ['role', 'orgId', 'departmentId']));
    }
  };

  return (
    <Form form={form} onValuesChange={clearErrorsOnChange(form)} layout="vertical" onFinish={() => void submit()} name="grant-role">
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form.Item name="role" label="角色" required extra={role ? HINTS[role] : undefined}>
        <Select
          placeholder="选择角色"
          options={roles.map((r) => ({ value: r, label: ROLE_NAMES[r] }))}
          onChange={() => form.setFieldsValue({ departmentId: undefined })}
        />
      </Form.Item>
      <Form.Item name="orgId" label={role === 'dept_officer' ? '部门所属阵地' : '管辖阵地'} required>
        <OrgSearchSelect placeholder="输入名称搜索阵地" onChange={() => form.setFieldsValue({ departmentId: undefined })} />
      </Form.Item>
      {role === 'dept_officer' && (
        <Form.Item name="departmentId" label="职能部门" required>
          <DepartmentSelect orgId={orgId} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={grant.isPending}>
        授予角色
      </Button>
    </Form>
  );
}
