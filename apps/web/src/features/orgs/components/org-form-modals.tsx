import { useEffect, useState } from 'react';
import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  ORG_LEVEL_NAMES,
  PILOT_LEVELS,
  PILOT_LEVEL_NAMES,
  ZCreateOrgBody,
  ZUpdateOrgBody,
  type OrgDto,
  type OrgLevel,
  type PilotLevel,
} from '@wenming/contracts';
import { childLevelsOf } from '@wenming/domain';
import { applyApiError, validateForm, clearErrorsOnChange } from '../../../lib/form-errors';
import { useCreateOrg, useUpdateOrg } from '../api/orgs-api';

interface OrgFormValues {
  level?: OrgLevel;
  name?: string;
  regionCode?: string;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  pilotLevel?: PilotLevel | 'none';
  plaqued?: boolean;
  plaquedOn?: Dayjs | null;
}

const FIELDS = ['level', 'name', 'regionCode', 'address', 'lat', 'lng', 'pilotLevel', 'plaqued', 'plaquedOn'] as const;

/** Empty inputs mean "not given". */
function clean(v: OrgFormValues) {
  const s = (x: string | undefined) => (x && x.trim() ? x.trim() : undefined);
  return {
    level: v.level,
    name: v.name ?? '',
    regionCode: s(v.regionCode),
    address: s(v.address),
    lat: v.lat ?? undefined,
    lng: v.lng ?? undefined,
  };
}

/** Latitude and longitude ranges, with messages a person understands. */
async function coordinatesOk(form: FormInstance<OrgFormValues>): Promise<boolean> {
  try {
    await form.validateFields(['lat', 'lng']);
    return true;
  } catch {
    return false;
  }
}

function CoordinateFields() {
  return (
    <Row gutter={12}>
      <Col span={12}>
        <Form.Item name="lat" label="纬度" rules={[{ type: 'number', min: -90, max: 90, message: '纬度应在 -90 到 90 之间' }]}>
          <InputNumber step={0.000001} precision={6} placeholder="如 37.870600" style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="lng" label="经度" rules={[{ type: 'number', min: -180, max: 180, message: '经度应在 -180 到 180 之间' }]}>
          <InputNumber step={0.000001} precision={6} placeholder="如 112.548900" style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 新建下级阵地: the level select offers only the levels that may sit under the parent. */
export function CreateOrgModal({ parent, open, onClose, onCreated }: { parent: OrgDto; open: boolean; onClose: () => void; onCreated: (org: OrgDto) => void }) {
  const [form] = Form.useForm<OrgFormValues>();
  const { message } = App.useApp();
  const create = useCreateOrg();
  const [formError, setFormError] = useState<string | null>(null);
  const levels = childLevelsOf(parent.level);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ level: levels[0] });
      setFormError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, parent.id]);

  const submit = async () => {
    setFormError(null);
    if (!(await coordinatesOk(form))) return;
    const body = validateForm(form, ZCreateOrgBody, { parentId: parent.id, ...clean(form.getFieldsValue()) });
    if (!body) return;
    try {
      const org = await create.mutateAsync(body);
      message.success(`已新建「${org.name}」`);
      onCreated(org);
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <Modal
      title="新建下级阵地"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="创建"
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary">上级阵地：{[...parent.pathNames, parent.name].join(' / ')}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} onValuesChange={clearErrorsOnChange(form)} layout="vertical" requiredMark="optional" onFinish={() => void submit()} name="create-org">
        <Form.Item name="level" label="层级" required>
          <Select options={levels.map((l) => ({ value: l, label: ORG_LEVEL_NAMES[l].zh }))} />
        </Form.Item>
        <Form.Item name="name" label="阵地名称" required>
          <Input placeholder="如：新城社区新时代文明实践站" maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="regionCode" label="行政区划代码" extra="4 至 12 位数字，如 140109011004">
          <Input inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item name="address" label="地址">
          <Input maxLength={200} />
        </Form.Item>
        <CoordinateFields />
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

/** 编辑: name, address and position (level and parent do not change). */
export function EditOrgModal({ org, open, onClose, onSaved }: { org: OrgDto; open: boolean; onClose: () => void; onSaved: (org: OrgDto) => void }) {
  const [form] = Form.useForm<OrgFormValues>();
  const { message } = App.useApp();
  const update = useUpdateOrg(org.id);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.setFieldsValue({
        name: org.name,
        address: org.address ?? '',
        lat: org.lat,
        lng: org.lng,
        pilotLevel: org.pilotLevel ?? 'none',
        plaqued: org.plaqued,
        plaquedOn: org.plaquedOn ? dayjs(org.plaquedOn) : null,
      });
      setFormError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, org.id]);

  const submit = async () => {
    setFormError(null);
    if (!(await coordinatesOk(form))) return;
    const v = form.getFieldsValue();
    const body = validateForm(form, ZUpdateOrgBody, {
      name: v.name ?? '',
      address: v.address?.trim() ?? '',
      lat: v.lat ?? undefined,
      lng: v.lng ?? undefined,
      ...(org.level === 'city'
        ? {}
        : {
            pilotLevel: !v.pilotLevel || v.pilotLevel === 'none' ? null : v.pilotLevel,
            plaqued: !!v.plaqued,
            plaquedOn: v.plaqued && v.plaquedOn ? v.plaquedOn.format('YYYY-MM-DD') : null,
          }),
    });
    if (!body) return;
    try {
      const saved = await update.mutateAsync(body);
      message.success('已保存');
      onSaved(saved);
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <Modal
      title={`编辑「${org.name}」`}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="保存"
      confirmLoading={update.isPending}
      destroyOnHidden
      width={560}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} onValuesChange={clearErrorsOnChange(form)} layout="vertical" requiredMark="optional" onFinish={() => void submit()} name="edit-org">
        <Form.Item name="name" label="阵地名称" required>
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="address" label="地址">
          <Input maxLength={200} />
        </Form.Item>
        <CoordinateFields />
        {org.level !== 'city' && <SiteStatusFields />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

/** 试点 and 挂牌 of a site below the city (0041): shown in the statistics as 挂牌率 and pilot counts. */
function SiteStatusFields() {
  const plaqued = Form.useWatch<boolean | undefined>('plaqued');
  return (
    <Row gutter={12}>
      <Col span={10}>
        <Form.Item name="pilotLevel" label="文明实践试点">
          <Select
            options={[{ value: 'none', label: '非试点' }, ...PILOT_LEVELS.map((l) => ({ value: l, label: PILOT_LEVEL_NAMES[l] }))]}
            aria-label="试点级别"
          />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name="plaqued" label="挂牌" valuePropName="checked">
          <Switch aria-label="已挂牌" />
        </Form.Item>
      </Col>
      <Col span={8}>
        <Form.Item name="plaquedOn" label="挂牌日期">
          <DatePicker disabled={!plaqued} style={{ width: '100%' }} placeholder="选择日期" disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
      </Col>
    </Row>
  );
}
