import { useState } from 'react';
import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { DepartmentDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { errorMessage } from '../../../lib/api-client';
import { useCategories } from '../../../lib/categories';
import { useUpdateDepartment } from '../api/departments-api';

const NATURES = [
  { value: 'complaint', label: '投诉' },
  { value: 'petition', label: '信访' },
  { value: 'consult', label: '咨询' },
] as const;

const hours = (m: number | null) => (m === null ? null : Math.round((m / 60) * 10) / 10);

/**
 * 派单目录: what a department answers (categories, natures, keywords), where (the area it covers)
 * and how fast (its 签收 and 办理 limits; empty: the defaults by urgency).
 */
export function DepartmentDutiesModal({ dept, onClose }: { dept: DepartmentDto; onClose: () => void }) {
  const { message } = App.useApp();
  const categories = useCategories();
  const update = useUpdateDepartment();
  const [categoriesSel, setCategories] = useState<string[]>(dept.categories);
  const [natures, setNatures] = useState<string[]>(dept.natures);
  const [keywords, setKeywords] = useState<string[]>(dept.keywords);
  const [areaOrgId, setArea] = useState<string | undefined>(dept.areaOrgId);
  const [contact, setContact] = useState(dept.contact ?? '');
  const [ackHours, setAck] = useState<number | null>(hours(dept.ackMinutes));
  const [resolveDays, setResolve] = useState<number | null>(dept.resolveMinutes === null ? null : Math.round((dept.resolveMinutes / 1440) * 10) / 10);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      width={640}
      title={`派单目录 · ${dept.name}`}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
      onOk={async () => {
        try {
          await update.mutateAsync({
            id: dept.id,
            body: {
              categories: categoriesSel,
              natures: natures as ('complaint' | 'petition' | 'consult')[],
              keywords: keywords.map((k) => k.trim()).filter(Boolean),
              areaOrgId: areaOrgId ?? null,
              contact: contact.trim() || null,
              ackMinutes: ackHours === null ? null : Math.max(1, Math.round(ackHours * 60)),
              resolveMinutes: resolveDays === null ? null : Math.max(1, Math.round(resolveDays * 1440)),
            },
          });
          message.success('派单目录已保存');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      <Typography.Paragraph type="secondary">
        群众的投诉、信访、咨询提到这里的关键词、属于这里的类别，且发生在管辖范围内时，调度台会优先推荐本部门并说明理由。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="职责关键词" extra="输入后回车，如：噪音、油烟、占道经营">
          <Select
            mode="tags"
            value={keywords}
            onChange={setKeywords}
            tokenSeparators={[',', '，', '、', ' ']}
            placeholder="输入关键词"
            data-testid="duties-keywords"
          />
        </Form.Item>
        <Form.Item label="受理的诉求性质">
          <Checkbox.Group value={natures} onChange={(v) => setNatures(v as string[])} options={NATURES.map((n) => ({ ...n }))} />
        </Form.Item>
        <Form.Item label="负责的服务类别">
          <Select
            mode="multiple"
            value={categoriesSel}
            onChange={setCategories}
            loading={categories.isPending}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            placeholder="可不选"
          />
        </Form.Item>
        <Form.Item label="管辖范围" extra="默认为部门所属阵地及其下级">
          <OrgSearchSelect value={areaOrgId} onChange={(id) => setArea(id)} allowClear placeholder={dept.areaOrgName} />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item label="签收时限（小时）" extra="空：按缓急默认">
            <InputNumber min={0.1} max={720} step={0.5} value={ackHours} onChange={(v) => setAck(v)} />
          </Form.Item>
          <Form.Item label="办理时限（天）" extra="空：按缓急默认">
            <InputNumber min={0.1} max={365} step={1} value={resolveDays} onChange={(v) => setResolve(v)} />
          </Form.Item>
          <Form.Item label="联系电话">
            <Input value={contact} onChange={(e) => setContact(e.target.value)} maxLength={100} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
