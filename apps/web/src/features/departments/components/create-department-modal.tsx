import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { ZCreateDepartmentBody, type DepartmentDto, type OrgDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { useCreateDepartment } from '../api/departments-api';

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated?: (d: DepartmentDto) => void;
  /** A fixed site (from the site drawer); otherwise the form asks for one. */
  org?: OrgDto;
  defaultOrgId?: string;
}

/** 新建职能部门 (e.g. 区住建局) under a site. */
export function CreateDepartmentModal({ open, onClose, onCreated, org, defaultOrgId }: Props) {
  const [form] = Form.useForm<{ orgId?: string; name?: string }>();
  const { message } = App.useApp();
  const create = useCreateDepartment();
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ orgId: org?.id ?? defaultOrgId });
      setFormError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const orgId = org?.id ?? v.orgId;
    if (!orgId) {
      form.setFields([{ name: ['orgId'], errors: ['请选择所属阵地'] }]);
      return;
    }
    const body = validateForm(form, ZCreateDepartmentBody, { orgId, name: v.name ?? '' });
    if (!body) return;
    try {
      const d = await create.mutateAsync(body);
      message.success(`已新建职能部门「${d.name}」`);
      onCreated?.(d);
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, ['orgId', 'name']));
    }
  };

  return (
    <Modal title="新建职能部门" open={open} onCancel={onClose} onOk={() => void submit()} okText="创建" confirmLoading={create.isPending} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} onValuesChange={clearErrorsOnChange(form)} layout="vertical" onFinish={() => void submit()} name="create-department">
        {org ? (
          <Form.Item label="所属阵地">
            <Typography.Text strong>{org.name}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item name="orgId" label="所属阵地" required>
            <OrgSearchSelect placeholder="输入名称搜索阵地" />
          </Form.Item>
        )}
        <Form.Item name="name" label="部门名称" required extra="如：小店区住房和城乡建设局、区信访局">
          <Input maxLength={100} showCount />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
