import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { ZCreateActivityBody, type OrgDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { localInputToIso } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { uuid } from '../../../lib/uuid';
import { useCreateActivity, useTeamOptions } from '../api/activities-api';
import { formatDuration } from './activity-format';
import './activities.css';

interface Values {
  title?: string;
  category?: string;
  orgId?: string;
  teamId?: string;
  startsAt?: string;
  endsAt?: string;
  signupDeadline?: string;
  volunteerQuota?: number | null;
  publicQuota?: number | null;
  partyOnly?: boolean;
  teamOnly?: boolean;
  adultsOnly?: boolean;
  requiredSkills?: string[];
  address?: string;
  lat?: number | null;
  lng?: number | null;
  geofenceM?: number | null;
  description?: string;
}

const FIELDS = [
  'title',
  'category',
  'orgId',
  'teamId',
  'startsAt',
  'endsAt',
  'signupDeadline',
  'volunteerQuota',
  'publicQuota',
  'partyOnly',
  'teamOnly',
  'adultsOnly',
  'requiredSkills',
  'address',
  'lat',
  'lng',
  'geofenceM',
  'description',
] as const;

const REQUIRED: [keyof Values, string][] = [
  ['title', '请填写活动名称'],
  ['category', '请选择服务类别'],
  ['orgId', '请选择举办阵地'],
  ['startsAt', '请选择开始时间'],
  ['endsAt', '请选择结束时间'],
];

function TeamSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const teams = useTeamOptions(q);
  return (
    <Select
      id={id}
      allowClear
      value={value}
      placeholder="可不选；选了队伍，队长也能管理此活动"
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      loading={teams.isFetching}
      notFoundContent={q ? '没有找到匹配的队伍' : '暂无队伍'}
      onChange={(v: string | undefined) => {
        setInput('');
        onChange?.(v);
      }}
      options={(teams.data?.items ?? []).map((t) => ({
        value: t.id,
        label: (
          <span>
            {t.name}
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: '0.85em' }}>
              {t.orgName}
            </Typography.Text>
          </span>
        ),
      }))}
    />
  );
}

/** 新建活动: saved as a draft; published from its page after a check. */
export function AdminActivityEditor() {
  useDocumentTitle('新建活动');
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateActivity();
  const categories = useCategories();
  const [formError, setFormError] = useState<string | null>(null);
  // The site's own address and position fill the fields until someone types their own.
  const filledFrom = useRef<OrgDto | null>(null);
  const key = useRef(uuid());
  const startsAt = Form.useWatch('startsAt', form);
  const endsAt = Form.useWatch('endsAt', form);
  const teamId = Form.useWatch('teamId', form);
  const lat = Form.useWatch('lat', form);
  const span = startsAt && endsAt ? Date.parse(localInputToIso(endsAt)!) - Date.parse(localInputToIso(startsAt)!) : NaN;

  const pickSite = (org: OrgDto | undefined) => {
    const prev = filledFrom.current;
    const v = form.getFieldsValue();
    const untouched = (field: 'address' | 'lat' | 'lng') => v[field] === undefined || v[field] === null || v[field] === '' || (prev && v[field] === prev[field]);
    if (org) {
      form.setFieldsValue({
        ...(untouched('address') ? { address: org.address ?? undefined } : {}),
        ...(untouched('lat') && untouched('lng') ? { lat: org.lat, lng: org.lng } : {}),
      });
    }
    filledFrom.current = org ?? null;
  };

  const submit = async () => {
    setFormError(null);
    const v = form.getFieldsValue();
    const missing = REQUIRED.filter(([k]) => v[k] === undefined || v[k] === null || v[k] === '');
    if (v.volunteerQuota === undefined || v.volunteerQuota === null) missing.push(['volunteerQuota', '请填写志愿者名额（不招志愿者填 0）']);
    if (missing.length) {
      form.setFields(missing.map(([name, msg]) => ({ name, errors: [msg] })));
      return;
    }
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const num = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);
    const body = validateForm(form, ZCreateActivityBody, {
      orgId: v.orgId,
      title: v.title ?? '',
      category: v.category,
      startsAt: localInputToIso(v.startsAt),
      endsAt: localInputToIso(v.endsAt),
      signupDeadline: localInputToIso(v.signupDeadline),
      volunteerQuota: v.volunteerQuota,
      publicQuota: num(v.publicQuota),
      teamId: v.teamId || undefined,
      partyOnly: v.partyOnly || undefined,
      teamOnly: v.teamOnly || undefined,
      adultsOnly: v.adultsOnly || undefined,
      requiredSkills: v.requiredSkills?.length ? v.requiredSkills : undefined,
      address: text(v.address),
      lat: num(v.lat),
      lng: num(v.lng),
      geofenceM: num(v.geofenceM),
      description: text(v.description),
    });
    if (!body) return;
    try {
      const a = await create.mutateAsync({ body, key: key.current });
      message.success('已保存为草稿。核对无误后点“发布”开始招募。');
      navigate(`/admin/activities/${a.id}`, { replace: true });
    } catch (e) {
      key.current = uuid();
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  const categoryOptions = (categories.data ?? []).map((c) => ({ value: c.code, label: c.name }));
  return (
    <div className="act-editor">
      <PageHeader
        title="新建活动"
        description="先保存为草稿，在活动页核对后发布；发布后居民和志愿者即可在手机上报名。"
        extra={
          <Link to="/admin/activities">
            <Button icon={<ArrowLeftOutlined />}>返回活动列表</Button>
          </Link>
        }
      />
      <Form<Values>
        form={form}
        layout="vertical"
        name="activity"
        initialValues={{ publicQuota: 0, partyOnly: false, teamOnly: false, adultsOnly: false }}
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        requiredMark
        scrollToFirstError
      >
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="activity-form-error" />}
        <Card title="基本信息" className="act-editor-card">
          <Row gutter={24}>
            <Col xs={24} lg={16}>
              <Form.Item name="title" label="活动名称" required>
                <Input maxLength={100} showCount placeholder="如：永康北路社区“清洁家园”环境整治志愿活动" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="category" label="服务类别" required>
                <Select placeholder="选择类别" options={categoryOptions} loading={categories.isPending} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item name="orgId" label="举办阵地" required extra="活动归属的中心、所、站；地址和位置默认取自阵地。">
                <OrgSearchSelect placeholder="输入名称搜索阵地" onChange={(id, org) => {
                  form.setFieldsValue({ orgId: id });
                  pickSite(org);
                }} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              <Form.Item name="teamId" label="承办队伍">
                <TeamSelect />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="时间与名额" className="act-editor-card">
          <Row gutter={24}>
            <Col xs={24} md={8}>
              <Form.Item name="startsAt" label="开始时间" required>
                <Input type="datetime-local" data-testid="activity-starts" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="endsAt" label="结束时间" required extra={Number.isFinite(span) && span > 0 ? `共 ${formatDuration(span)}` : undefined}>
                <Input type="datetime-local" data-testid="activity-ends" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="signupDeadline" label="报名截止" extra="不填则截止到活动开始；不能晚于结束时间。">
                <Input type="datetime-local" data-testid="activity-deadline" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="volunteerQuota" label="志愿者名额" required extra="报满后再报名的进入候补。">
                <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} placeholder="人数" suffix="人" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="publicQuota" label="群众名额" extra="面向居民的参与名额；0 表示不招群众。">
                <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} suffix="人" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="报名条件（志愿者）" className="act-editor-card">
          <Row gutter={24}>
            <Col xs={24} md={8}>
              <Form.Item name="partyOnly" label="仅限党员" valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="teamOnly" label="仅限承办队伍队员" valuePropName="checked" extra={teamId ? undefined : '需先选择承办队伍'}>
                <Switch disabled={!teamId} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="adultsOnly" label="仅限年满18周岁" valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={24} lg={16}>
              <Form.Item name="requiredSkills" label="技能要求" extra="具备其中任一项技能的志愿者可报名；不选则不限。">
                <Select mode="multiple" allowClear placeholder="不限" options={categoryOptions} maxCount={10} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="地点与签到" className="act-editor-card">
          <Row gutter={24}>
            <Col xs={24} lg={12}>
              <Form.Item name="address" label="活动地址">
                <Input maxLength={200} placeholder="如：永康北路社区党群服务中心一楼" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={4}>
              <Form.Item name="lat" label="纬度">
                <InputNumber min={-90} max={90} precision={6} step={0.0001} style={{ width: '100%' }} placeholder="北纬，如 37.76" />
              </Form.Item>
            </Col>
            <Col xs={12} lg={4}>
              <Form.Item name="lng" label="经度">
                <InputNumber min={-180} max={180} precision={6} step={0.0001} style={{ width: '100%' }} placeholder="东经，如 112.57" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={4}>
              <Form.Item name="geofenceM" label="签到范围" extra={lat === null || lat === undefined ? '需要经纬度' : '不填则不限位置'}>
                <InputNumber min={50} max={50000} precision={0} step={50} style={{ width: '100%' }} placeholder="如 500" suffix="米" disabled={lat === null || lat === undefined} data-testid="activity-geofence" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="活动介绍" className="act-editor-card">
          <Form.Item name="description" style={{ marginBottom: 0 }}>
            <Input.TextArea maxLength={20000} autoSize={{ minRows: 4, maxRows: 14 }} placeholder="活动内容、集合地点、需要携带的物品、联系人等" />
          </Form.Item>
        </Card>

        <div className="act-editor-footer">
          <Space>
            <Button onClick={() => navigate('/admin/activities')}>取消</Button>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="activity-save">
              保存草稿
            </Button>
          </Space>
        </div>
      </Form>
    </div>
  );
}
