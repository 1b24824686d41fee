import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { ZCreateOrganisationBody, ZUpdateOrganisationBody, type OrgDto, type OrganisationDetailDto, type Page } from '@wenming/contracts';
import { CREDIT_CODE_RE, isValidCreditCode } from '@wenming/domain';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { api } from '../../../lib/api-client';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDebounced } from '../../../lib/use-debounced';
import { useSaveOrganisation } from '../api/organisations-api';

interface Values {
  orgId?: string;
  name?: string;
  creditCode?: string;
  registrationAuthority?: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  description?: string;
  categories?: string[];
  serviceOrgIds?: string[];
}

const FIELDS = ['orgId', 'name', 'creditCode', 'registrationAuthority', 'contactName', 'contactPhone', 'address', 'description', 'categories', 'serviceOrgIds'];

/** Sites (GET /orgs?q=) for the service area: several may be chosen. */
function SitesSelect({
  value,
  onChange,
  initial,
  id,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  initial: { id: string; name: string }[];
  id?: string;
}) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const found = useQuery({
    queryKey: ['orgs', 'pick-many', q],
    queryFn: ({ signal }) => api<Page<OrgDto>>('/orgs', { query: { q: q || undefined, limit: 30 }, signal }),
  });
  const [known, setKnown] = useState(new Map(initial.map((s) => [s.id, s.name])));
  const options = new Map(known);
  for (const o of found.data?.items ?? []) options.set(o.id, o.name);
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={(v: string[]) => {
        setKnown(new Map([...known, ...v.map((x) => [x, options.get(x) ?? x] as const)]));
        onChange?.(v);
      }}
      placeholder="输入名称搜索阵地，可多选"
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      notFoundContent={found.isFetching ? <Spin size="small" /> : '没有找到阵地'}
      options={[...options].map(([value, label]) => ({ value, label }))}
    />
  );
}

/** 登记 / 编辑 a volunteer organisation. Site staff choose the supervising site and the service area. */
export function OrganisationFormModal({
  open,
  onClose,
  editing,
  staff,
}: {
  open: boolean;
  onClose: () => void;
  editing?: OrganisationDetailDto | null;
  staff: boolean;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const save = useSaveOrganisation(editing?.id ?? null);
  const categories = useCategories();
  const [formError, setFormError] = useState<string | null>(null);
  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const raw = {
      ...v,
      name: v.name ?? '',
      creditCode: (v.creditCode ?? '').trim().toUpperCase(),
      registrationAuthority: v.registrationAuthority ?? '',
      contactName: v.contactName ?? '',
      contactPhone: v.contactPhone ?? '',
      address: v.address?.trim() || (editing ? null : undefined),
      description: v.description?.trim() || (editing ? null : undefined),
      categories: v.categories ?? [],
      serviceOrgIds: staff ? (v.serviceOrgIds ?? []) : undefined,
    };
    const body = editing ? validateForm(form, ZUpdateOrganisationBody, { ...raw, orgId: undefined }) : validateForm(form, ZCreateOrganisationBody, raw);
    // Every problem at once: the schema's, a missing site, and a code of the right shape whose check character is wrong.
    const more: { name: ['orgId'] | ['creditCode']; errors: string[] }[] = [];
    if (!editing && !v.orgId) more.push({ name: ['orgId'], errors: ['请选择主管阵地'] });
    if (CREDIT_CODE_RE.test(raw.creditCode) && !isValidCreditCode(raw.creditCode))
      more.push({ name: ['creditCode'], errors: ['统一社会信用代码校验位不正确，请核对'] });
    if (more.length) form.setFields(more);
    if (!body || more.length) return;
    try {
      const o = await save.mutateAsync(body);
      message.success(editing ? '已保存' : `已登记「${o.name}」`);
      form.resetFields();
      onClose();
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };
  return (
    <Modal
      open={open}
      title={editing ? `编辑：${editing.name}` : '登记志愿服务组织'}
      okText={editing ? '保存' : '登记'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="organisation"
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        initialValues={
          editing
            ? {
                name: editing.name,
                creditCode: editing.creditCode,
                registrationAuthority: editing.registrationAuthority,
                contactName: editing.contactName,
                contactPhone: editing.contactPhone,
                address: editing.address ?? undefined,
                description: editing.description ?? undefined,
                categories: editing.categories,
                serviceOrgIds: editing.serviceSites.map((s) => s.id),
              }
            : { categories: [] }
        }
      >
        {!editing && (
          <Form.Item name="orgId" label="主管阵地" required extra="该阵地及上级的管理员可以管理这个组织">
            <OrgSearchSelect />
          </Form.Item>
        )}
        <Form.Item name="name" label="组织名称" required>
          <Input maxLength={100} placeholder="如：龙城义工联合会" />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" required extra="18位，登记证书上的代码（系统会核对校验位）">
          <Input maxLength={18} placeholder="如：52140105MJ0000001X" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="registrationAuthority" label="登记管理机关" required>
          <Input maxLength={100} placeholder="如：太原市小店区民政局" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item name="contactName" label="联系人" required style={{ flex: '1 1 180px' }}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="contactPhone" label="联系电话" required style={{ flex: '1 1 180px' }}>
            <Input maxLength={11} inputMode="tel" />
          </Form.Item>
        </div>
        <Form.Item name="categories" label="服务类别">
          <Select mode="multiple" placeholder="可多选" options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        {staff && (
          <Form.Item name="serviceOrgIds" label="服务区域" extra="组织服务的阵地（社区、村）">
            <SitesSelect initial={editing?.serviceSites ?? []} />
          </Form.Item>
        )}
        <Form.Item name="address" label="办公地址">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label="简介">
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
