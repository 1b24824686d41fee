import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  ConfigProvider,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ZCreateResourceBody, ZUpdateResourceBody, type OrgDto, type ResourceCategory } from '@wenming/contracts';
import type { OpenHours } from '@wenming/domain';
import { LoadFailure } from '../../../components/load-failure';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PhotoUpload } from '../../../components/photo-upload';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useCreateResource, useResource, useResourceTypes, useUpdateResource, type ResourceDto } from '../api/resources-api';
import { OpenHoursGrid, overlapsOf } from './open-hours-grid';
import { CATEGORY_NAMES, chinaDate, dayLabel } from './resource-format';
import './resources.css';

interface Values {
  name?: string;
  type?: string;
  orgId?: string;
  description?: string;
  capacity?: number | null;
  quantity?: number | null;
  bookable?: boolean;
  requiresApproval?: boolean;
  openHours?: OpenHours[];
  closedDates?: string[];
  slotMinutes?: number | null;
  maxDaysAhead?: number | null;
  maxPerWeek?: number | null;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  photoIds?: string[];
}

const FIELDS = [
  'name',
  'type',
  'orgId',
  'description',
  'capacity',
  'quantity',
  'bookable',
  'requiresApproval',
  'openHours',
  'closedDates',
  'slotMinutes',
  'maxDaysAhead',
  'maxPerWeek',
  'address',
  'lat',
  'lng',
  'photoIds',
] as const;

/** 闭馆日期: dates picked one by one (holidays, maintenance), shown as tags, past ones greyed. */
function ClosedDates({ value = [], onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const [date, setDate] = useState('');
  const today = chinaDate();
  const add = () => {
    if (!date || value.includes(date)) return;
    onChange?.([...value, date].sort());
    setDate('');
  };
  return (
    <div id={id}>
      <Space.Compact>
        <Input
          type="date"
          value={date}
          min={today}
          onChange={(e) => setDate(e.target.value)}
          style={{ width: 170 }}
          data-testid="closed-date-input"
          aria-label="闭馆日期"
        />
        <Button icon={<PlusOutlined />} onClick={add} disabled={!date} data-testid="closed-date-add">
          添加
        </Button>
      </Space.Compact>
      <div className="res-closed-tags">
        {value.length === 0 && <Typography.Text type="secondary">没有闭馆日期</Typography.Text>}
        {value.map((d) => (
          <Tag key={d} closable color={d < today ? undefined : 'red'} onClose={() => onChange?.(value.filter((x) => x !== d))}>
            {dayLabel(d)}
            {d.slice(0, 4) !== today.slice(0, 4) ? `（${d.slice(0, 4)}）` : ''}
          </Tag>
        ))}
      </div>
    </div>
  );
}

/** The site picker as a form control; locked once the resource exists. */
function SiteSelect({
  value,
  onChange,
  id,
  locked,
  onPicked,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  locked: boolean;
  onPicked: (org: OrgDto | undefined) => void;
}) {
  return (
    <ConfigProvider componentDisabled={locked}>
      <OrgSearchSelect
        id={id}
        value={value}
        placeholder="输入名称搜索阵地"
        onChange={(v, org) => {
          onChange?.(v);
          onPicked(org);
        }}
      />
    </ConfigProvider>
  );
}

function valuesOf(r: ResourceDto): Values {
  return {
    name: r.name,
    type: r.type,
    orgId: r.orgId,
    description: r.description ?? '',
    capacity: r.capacity,
    quantity: r.quantity,
    bookable: r.bookable,
    requiresApproval: r.requiresApproval,
    openHours: r.openHours,
    closedDates: r.closedDates,
    slotMinutes: r.slotMinutes,
    maxDaysAhead: r.maxDaysAhead,
    maxPerWeek: r.maxPerWeek,
    address: r.address ?? '',
    lat: r.lat,
    lng: r.lng,
    photoIds: r.photoIds,
  };
}

/** 登记资源 / 编辑资源: everything a resource is, with the weekly hours grid and photos. */
export function AdminResourceEditor() {
  const { id } = useParams();
  const editing = !!id;
  useDocumentTitle(editing ? '编辑资源' : '登记资源');
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const existing = useResource(id);
  const create = useCreateResource();
  const update = useUpdateResource(id ?? '');
  const types = useResourceTypes();
  const [formError, setFormError] = useState<string | null>(null);
  const loaded = useRef<string | null>(null);
  const type = Form.useWatch('type', form);
  const bookable = Form.useWatch('bookable', form);
  const category = useMemo(() => types.data?.find((t) => t.code === type)?.category, [types.data, type]);
  const isEquipment = category === 'equipment';
  const r = existing.data;
  const readOnly = editing && !!r && !r.allowedActions.includes('edit');

  useEffect(() => {
    if (r && loaded.current !== r.id) {
      loaded.current = r.id;
      form.setFieldsValue(valuesOf(r));
    }
  }, [r, form]);

  const typeOptions = useMemo(
    () =>
      (Object.keys(CATEGORY_NAMES) as ResourceCategory[]).map((c) => ({
        label: CATEGORY_NAMES[c],
        options: (types.data ?? []).filter((t) => t.category === c).map((t) => ({ value: t.code, label: t.name })),
      })),
    [types.data],
  );

  const pickSite = (org: OrgDto | undefined) => {
    const v = form.getFieldsValue();
    if (org && !v.address) form.setFieldsValue({ address: org.address ?? undefined });
    if (org && (v.lat === null || v.lat === undefined) && (v.lng === null || v.lng === undefined)) form.setFieldsValue({ lat: org.lat, lng: org.lng });
  };

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue(true) as Values;
    const missing: [keyof Values, string][] = [];
    if (!v.name?.trim()) missing.push(['name', '请填写名称']);
    if (!v.type) missing.push(['type', '请选择资源类型']);
    if (!v.orgId) missing.push(['orgId', '请选择所属阵地']);
    if (isEquipment && !v.quantity && !(editing && r?.quantity === null)) missing.push(['quantity', '物资设备请填写可借数量']);
    if (missing.length) {
      form.setFields(missing.map(([name, errors]) => ({ name, errors: [errors] })));
      return;
    }
    if (overlapsOf(v.openHours ?? []).length) {
      form.setFields([{ name: 'openHours', errors: ['有重叠的开放时段，请调整'] }]);
      return;
    }
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const num = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);
    try {
      if (!editing) {
        const body = validateForm(form, ZCreateResourceBody, {
          orgId: v.orgId,
          name: v.name?.trim(),
          type: v.type,
          description: text(v.description),
          capacity: isEquipment ? undefined : num(v.capacity),
          quantity: isEquipment ? num(v.quantity) : undefined,
          bookable: v.bookable ?? true,
          requiresApproval: v.requiresApproval ?? true,
          openHours: v.openHours ?? [],
          closedDates: v.closedDates ?? [],
          slotMinutes: num(v.slotMinutes),
          maxDaysAhead: num(v.maxDaysAhead),
          maxPerWeek: num(v.maxPerWeek),
          address: text(v.address),
          lat: num(v.lat),
          lng: num(v.lng),
          photoIds: v.photoIds ?? [],
        });
        if (!body) return;
        const created = await create.mutateAsync(body);
        message.success(`已登记“${created.name}”`);
        navigate(`/admin/resources/${created.id}/edit`, { replace: true });
      } else {
        const body = validateForm(form, ZUpdateResourceBody, {
          name: v.name?.trim(),
          type: v.type,
          description: text(v.description) ?? null,
          capacity: r?.quantity !== null ? undefined : (v.capacity ?? null),
          quantity: r?.quantity !== null ? (v.quantity ?? undefined) : undefined,
          bookable: v.bookable,
          requiresApproval: v.requiresApproval,
          openHours: v.openHours ?? [],
          closedDates: v.closedDates ?? [],
          slotMinutes: num(v.slotMinutes),
          maxDaysAhead: num(v.maxDaysAhead),
          maxPerWeek: v.maxPerWeek ?? null,
          address: text(v.address) ?? null,
          lat: v.lat ?? null,
          lng: v.lng ?? null,
          photoIds: v.photoIds ?? [],
        });
        if (!body) return;
        await update.mutateAsync(body);
        message.success('已保存');
      }
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  const setStatus = async (status: 'active' | 'retired') => {
    try {
      await update.mutateAsync({ status });
      message.success(status === 'retired' ? '已下架，居民不再能看到和预约' : '已恢复上架');
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  if (editing && existing.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (editing && existing.isError)
    return (
      <LoadFailure
        error={existing.error}
        onRetry={() => void existing.refetch()}
        title="资源不存在"
        subTitle="资源不存在，或不在您的管辖范围内。"
        back={{ to: '/admin/resources', label: '返回资源库' }}
      />
    );

  return (
    <div className="res-editor">
      <PageHeader
        title={editing ? `编辑资源：${r?.name ?? ''}` : '登记资源'}
        description={
          editing
            ? `${r?.orgName ?? ''} · ${r?.typeName ?? ''}${r?.status === 'retired' ? ' · 已下架' : ''}`
            : '登记后即出现在居民端的“场馆预约”里（开放预约的）。'
        }
        extra={
          <Space>
            {editing &&
              r &&
              !readOnly &&
              (r.status === 'active' ? (
                <Popconfirm
                  title="下架后居民看不到也不能预约，已有预约不受影响。确定下架？"
                  okText="下架"
                  cancelText="取消"
                  onConfirm={() => void setStatus('retired')}
                >
                  <Button danger data-testid="resource-retire">
                    下架
                  </Button>
                </Popconfirm>
              ) : (
                <Button onClick={() => void setStatus('active')} data-testid="resource-restore">
                  恢复上架
                </Button>
              ))}
            <Link to="/admin/resources">
              <Button icon={<ArrowLeftOutlined />}>返回资源库</Button>
            </Link>
          </Space>
        }
      />
      {readOnly && <Alert type="info" showIcon title="您可以查看此资源；修改需要所属阵地的管理员。" style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        name="resource"
        disabled={readOnly}
        initialValues={{ bookable: true, requiresApproval: true, openHours: [], closedDates: [], slotMinutes: 60, maxDaysAhead: 30, photoIds: [] }}
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        requiredMark
        scrollToFirstError
      >
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="resource-form-error" />}
        <Card title="基本信息" className="res-editor-card">
          <Row gutter={24}>
            <Col xs={24} lg={10}>
              <Form.Item name="name" label="名称" required>
                <Input maxLength={100} showCount placeholder="如：舞蹈室、红色影院、理论宣讲员 王老师" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={6}>
              <Form.Item name="type" label="资源类型" required extra={category ? `属于“${CATEGORY_NAMES[category]}”` : '五大类 48 种'}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder="选择类型"
                  options={typeOptions}
                  loading={types.isPending}
                  data-testid="resource-type"
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="orgId" label="所属阵地" required extra={editing ? '登记后不能更换阵地' : '地址和位置默认取自阵地'}>
                <SiteSelect locked={editing || readOnly} onPicked={pickSite} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} lg={6}>
              {isEquipment ? (
                <Form.Item name="quantity" label="可借数量" required extra="同一时段最多借出这么多件">
                  <InputNumber
                    min={1}
                    max={100000}
                    precision={0}
                    style={{ width: '100%' }}
                    suffix="件"
                    disabled={readOnly || (editing && r?.quantity === null)}
                  />
                </Form.Item>
              ) : (
                <Form.Item name="capacity" label="容纳人数" extra="预约人数不能超过它；不填则不限">
                  <InputNumber
                    min={1}
                    max={100000}
                    precision={0}
                    style={{ width: '100%' }}
                    suffix="人"
                    disabled={readOnly || (editing && r?.quantity !== null)}
                  />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} lg={18}>
              <Form.Item name="description" label="介绍">
                <Input.TextArea
                  maxLength={5000}
                  autoSize={{ minRows: 2, maxRows: 8 }}
                  placeholder="设施条件、使用须知、联系人等（如：实木地板、整面镜墙；请穿软底鞋）"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="photoIds" label="照片" extra="最多 9 张，第一张作为封面；JPG、PNG、WebP、GIF，每张不超过 5 MB。" style={{ marginBottom: 0 }}>
            <PhotoUpload max={9} />
          </Form.Item>
        </Card>

        <Card title="预约规则" className="res-editor-card">
          <Row gutter={24}>
            <Col xs={12} md={6}>
              <Form.Item name="bookable" label="开放预约" valuePropName="checked">
                <Switch data-testid="resource-bookable" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="requiresApproval" label="需要审核" valuePropName="checked" extra="关闭则预约即通过">
                <Switch disabled={readOnly || bookable === false} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="slotMinutes" label="时段长度" extra="居民按此粒度选时间">
                <Select
                  disabled={readOnly || bookable === false}
                  options={[15, 30, 60, 90, 120, 180, 240].map((m) => ({ value: m, label: m < 60 ? `${m} 分钟` : `${m / 60} 小时` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="maxDaysAhead" label="最多提前" extra="0 表示只能约当天">
                <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} suffix="天" disabled={readOnly || bookable === false} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="maxPerWeek" label="每人每周最多" extra="不填则不限">
                <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} suffix="次" disabled={readOnly || bookable === false} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="openHours" label="每周开放时间" extra="预约须落在某天的一个开放时段内；中午休息可分成两段。">
            <OpenHoursGrid />
          </Form.Item>
          <Form.Item name="closedDates" label="闭馆日期" extra="节假日、维修保养等不开放的日子" style={{ marginBottom: 0 }}>
            <ClosedDates />
          </Form.Item>
        </Card>

        <Card title="地点" className="res-editor-card">
          <Row gutter={24}>
            <Col xs={24} lg={12}>
              <Form.Item name="address" label="地址">
                <Input maxLength={200} placeholder="如：新城社区党群服务中心二楼" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={6}>
              <Form.Item name="lat" label="纬度">
                <InputNumber min={-90} max={90} precision={6} step={0.0001} style={{ width: '100%' }} placeholder="北纬，如 37.72" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={6}>
              <Form.Item name="lng" label="经度">
                <InputNumber min={-180} max={180} precision={6} step={0.0001} style={{ width: '100%' }} placeholder="东经，如 112.48" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        {!readOnly && (
          <div className="res-editor-footer">
            <Space>
              <Button onClick={() => navigate('/admin/resources')}>取消</Button>
              <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending} data-testid="resource-save">
                {editing ? '保存修改' : '登记'}
              </Button>
            </Space>
          </div>
        )}
      </Form>
    </div>
  );
}
