import { useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { PAIRING_FESTIVAL_CODES, ZCreatePairingPlanBody, ZUpdatePairingPlanBody, type PairingPlanDto, type PairingResidentDto } from '@wenming/contracts';
import { FESTIVAL_LUNAR, FESTIVAL_NAMES, WEEKDAY_NAMES, type Festival } from '@wenming/domain';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { applyApiError, clearErrorsOnChange } from '../../../lib/form-errors';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { uuid } from '../../../lib/uuid';
import { usePairingPlan, usePairingResidents, useSavePlan, useSiteVolunteers } from '../api/pairing-api';
import { chinaToday } from './pairing-format';
import { ResidentModal } from './resident-modal';
import './pairing.css';

interface Values {
  orgId?: string;
  name?: string;
  description?: string;
  volunteerIds?: string[];
  residentIds?: string[];
  weekly?: { weekday?: number; time?: string }[];
  monthly?: { day?: number | null; time?: string }[];
  festivals?: Festival[];
  holidayTime?: string;
  startsOn?: string;
  endsOn?: string;
  visitHours?: number | null;
}

const FIELDS = ['orgId', 'name', 'description', 'volunteerIds', 'residentIds', 'rules', 'startsOn', 'endsOn', 'visitHours'] as const;

function initialOf(p?: PairingPlanDto): Values {
  if (!p)
    return {
      volunteerIds: [],
      residentIds: [],
      weekly: [{ weekday: 3, time: '09:30' }],
      monthly: [{ day: 15, time: '14:30' }],
      festivals: ['spring', 'mid_autumn', 'double_ninth'],
      holidayTime: '10:00',
      startsOn: chinaToday(),
      visitHours: 1.5,
    };
  return {
    orgId: p.orgId,
    name: p.name,
    description: p.description ?? undefined,
    volunteerIds: p.volunteers.map((v) => v.id),
    residentIds: p.residents.map((r) => r.id),
    weekly: p.rules.weekly,
    monthly: p.rules.monthly,
    festivals: p.rules.holidays.map((h) => h.festival),
    holidayTime: p.rules.holidays[0]?.time ?? '10:00',
    startsOn: p.startsOn,
    endsOn: p.endsOn ?? undefined,
    visitHours: p.visitHours,
  };
}

function Editor({ plan }: { plan?: PairingPlanDto }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const save = useSavePlan(plan?.id);
  const key = useRef(uuid());
  const [error, setError] = useState<string | null>(null);
  const [residentOpen, setResidentOpen] = useState(false);
  const orgId = Form.useWatch('orgId', form) ?? plan?.orgId;
  const [volQ, setVolQ] = useState('');
  const [resQ, setResQ] = useState('');
  const vols = useSiteVolunteers(orgId, useDebounced(volQ.trim(), 300));
  const residents = usePairingResidents(orgId, useDebounced(resQ.trim(), 300));
  // Names of what is picked stay known while the option list changes with the search.
  const [known, setKnown] = useState(
    () =>
      new Map<string, string>([
        ...(plan?.volunteers ?? []).map((v) => [v.id, v.name] as const),
        ...(plan?.residents ?? []).map((r) => [r.id, r.name] as const),
      ]),
  );
  const volOptions = useMemo(() => {
    const list = (vols.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.realName}（${v.orgName}）` }));
    return list;
  }, [vols.data]);
  const resOptions = useMemo(
    () => (residents.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.name}${r.tags.length ? `（${r.tags.join('、')}）` : ''}` })),
    [residents.data],
  );
  const remember = (opts: { value: string; label: string }[]) =>
    setKnown((m) => {
      const n = new Map(m);
      for (const o of opts) n.set(o.value, o.label);
      return n;
    });

  const submit = async () => {
    setError(null);
    const v = form.getFieldsValue(true) as Values;
    const rules = {
      weekly: (v.weekly ?? []).filter((w) => w.weekday || w.time).map((w) => ({ weekday: w.weekday, time: w.time })),
      monthly: (v.monthly ?? []).filter((m) => m.day || m.time).map((m) => ({ day: m.day ?? undefined, time: m.time })),
      holidays: (v.festivals ?? []).map((festival) => ({ festival, time: v.holidayTime || '10:00' })),
    };
    const raw = {
      orgId: v.orgId,
      name: v.name?.trim(),
      description: v.description?.trim() || undefined,
      volunteerIds: v.volunteerIds ?? [],
      residentIds: v.residentIds ?? [],
      rules,
      startsOn: v.startsOn,
      endsOn: v.endsOn || (plan ? null : undefined),
      visitHours: v.visitHours ?? undefined,
    };
    const parsed = plan
      ? ZUpdatePairingPlanBody.safeParse({ ...raw, orgId: undefined, description: raw.description ?? null })
      : ZCreatePairingPlanBody.safeParse(raw);
    if (!parsed.success) {
      const byField = new Map<string, string>();
      for (const i of parsed.error.issues) {
        const f = String(i.path[0] ?? 'name');
        if (!byField.has(f)) byField.set(f, i.message);
      }
      form.setFields([...byField].filter(([name]) => name !== 'rules').map(([name, msg]) => ({ name: name as keyof Values, errors: [msg] })));
      if (byField.has('rules')) setError(`探访规则：${byField.get('rules')}`);
      return;
    }
    try {
      const p = await save.mutateAsync({ body: parsed.data, key: key.current });
      message.success(plan ? '已保存，今天起的探访任务已按新规则调整' : '结对已建立，近两周的探访任务已生成并通知志愿者');
      navigate(`/admin/pairing/${p.id}`);
    } catch (e) {
      setError(applyApiError(form, e, FIELDS));
    }
  };

  const onResidentCreated = (r: PairingResidentDto) => {
    setResidentOpen(false);
    remember([{ value: r.id, label: r.name }]);
    form.setFieldValue('residentIds', [...(form.getFieldValue('residentIds') ?? []), r.id]);
    message.success(`已添加帮扶对象 ${r.name}`);
  };

  const withKnown = (opts: { value: string; label: string }[], picked: string[] | undefined) => [
    ...(picked ?? []).filter((id) => !opts.some((o) => o.value === id)).map((id) => ({ value: id, label: known.get(id) ?? id })),
    ...opts,
  ];

  return (
    <div>
      <PageHeader
        title={plan ? `修改结对：${plan.name}` : '新建结对帮扶'}
        description="选定阵地后，从本阵地及下级阵地的志愿者中挑选结对人员，添加帮扶对象，设置探访规则。保存后自动生成近两周的探访任务，推送到志愿者手机。"
        extra={
          <Link to={plan ? `/admin/pairing/${plan.id}` : '/admin/pairing'}>
            <Button icon={<ArrowLeftOutlined />}>返回</Button>
          </Link>
        }
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="pairing-form-error" />}
      <Form form={form} layout="vertical" initialValues={initialOf(plan)} onValuesChange={clearErrorsOnChange(form)} data-testid="pairing-form">
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title="基本信息" className="pairing-form-card">
              {plan ? (
                <Form.Item label="所属阵地" extra="结对建立后阵地不能更改。">
                  <Input value={plan.orgName} disabled />
                </Form.Item>
              ) : (
                <Form.Item name="orgId" label="所属阵地" required>
                  <OrgSearchSelect placeholder="选择组织结对的实践所或实践站" />
                </Form.Item>
              )}
              <Form.Item name="name" label="结对名称" required>
                <Input maxLength={100} placeholder="如：“3+1晚霞行动”结对帮扶·永康北路社区" />
              </Form.Item>
              <Form.Item name="description" label="说明">
                <Input.TextArea rows={3} maxLength={2000} placeholder="帮扶内容、分工等" />
              </Form.Item>
              <Form.Item name="volunteerIds" label="结对志愿者" required extra="只能选择本阵地及下级阵地、在册的志愿者。">
                <Select
                  mode="multiple"
                  showSearch={{ filterOption: false, onSearch: setVolQ }}
                  placeholder={orgId ? '输入姓名或手机尾号搜索' : '请先选择阵地'}
                  disabled={!orgId}
                  loading={vols.isFetching}
                  options={withKnown(volOptions, form.getFieldValue('volunteerIds'))}
                  onChange={(_, opts) => remember((Array.isArray(opts) ? opts : [opts]) as { value: string; label: string }[])}
                  maxCount={20}
                  data-testid="pairing-volunteers"
                />
              </Form.Item>
              <Form.Item label="帮扶对象" required>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="residentIds" noStyle>
                    <Select
                      mode="multiple"
                      showSearch={{ filterOption: false, onSearch: setResQ }}
                      placeholder={orgId ? '搜索已登记的老人' : '请先选择阵地'}
                      disabled={!orgId}
                      loading={residents.isFetching}
                      options={withKnown(resOptions, form.getFieldValue('residentIds'))}
                      onChange={(_, opts) => remember((Array.isArray(opts) ? opts : [opts]) as { value: string; label: string }[])}
                      style={{ width: '100%' }}
                      data-testid="pairing-residents"
                    />
                  </Form.Item>
                  <Button icon={<UserAddOutlined />} onClick={() => setResidentOpen(true)} disabled={!orgId}>
                    新增
                  </Button>
                </Space.Compact>
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title="探访规则" className="pairing-form-card">
              <Typography.Text strong>每周上门探访</Typography.Text>
              <Form.List name="weekly">
                {(fields, { add, remove }) => (
                  <div className="pairing-rule-list">
                    {fields.map((f) => (
                      <Space key={f.key} align="start">
                        <Form.Item name={[f.name, 'weekday']} noStyle>
                          <Select
                            style={{ width: 100 }}
                            placeholder="星期"
                            options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: `每${WEEKDAY_NAMES[d]}` }))}
                          />
                        </Form.Item>
                        <Form.Item name={[f.name, 'time']} noStyle>
                          <Input type="time" style={{ width: 130 }} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除" />
                      </Space>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weekday: 6, time: '09:30' })} disabled={fields.length >= 7}>
                      添加每周探访
                    </Button>
                  </div>
                )}
              </Form.List>
              <Typography.Text strong>每月集中相聚</Typography.Text>
              <Form.List name="monthly">
                {(fields, { add, remove }) => (
                  <div className="pairing-rule-list">
                    {fields.map((f) => (
                      <Space key={f.key} align="start">
                        <span className="pairing-rule-prefix">每月</span>
                        <Form.Item name={[f.name, 'day']} noStyle>
                          <InputNumber min={1} max={31} style={{ width: 80 }} placeholder="日" />
                        </Form.Item>
                        <span className="pairing-rule-prefix">日</span>
                        <Form.Item name={[f.name, 'time']} noStyle>
                          <Input type="time" style={{ width: 130 }} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除" />
                      </Space>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ day: 1, time: '14:30' })} disabled={fields.length >= 4}>
                      添加每月相聚
                    </Button>
                    <Typography.Text type="secondary" className="pairing-hint">
                      29–31 日在小月自动改为当月最后一天。
                    </Typography.Text>
                  </div>
                )}
              </Form.List>
              <Typography.Text strong>传统节日探访</Typography.Text>
              <div className="pairing-rule-list">
                <Form.Item name="festivals" noStyle>
                  <Checkbox.Group
                    className="pairing-festivals"
                    options={PAIRING_FESTIVAL_CODES.map((f) => ({ value: f, label: <span title={FESTIVAL_LUNAR[f]}>{FESTIVAL_NAMES[f]}</span> }))}
                  />
                </Form.Item>
                <Space>
                  <span className="pairing-rule-prefix">节日当天</span>
                  <Form.Item name="holidayTime" noStyle>
                    <Input type="time" style={{ width: 130 }} />
                  </Form.Item>
                </Space>
              </div>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="startsOn" label="开始日期" required>
                    <Input type="date" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="endsOn" label="结束日期" extra="不填则长期有效">
                    <Input type="date" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="visitHours" label="每次时长（小时）">
                    <InputNumber min={0.5} max={24} step={0.5} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          </Col>
        </Row>
        <div className="pairing-form-actions">
          <Button type="primary" size="large" onClick={() => void submit()} loading={save.isPending} data-testid="pairing-save">
            {plan ? '保存修改' : '建立结对并生成任务'}
          </Button>
        </div>
      </Form>
      <ResidentModal open={residentOpen} orgId={orgId} onClose={() => setResidentOpen(false)} onCreated={onResidentCreated} />
    </div>
  );
}

/** 新建 / 修改结对帮扶 (/admin/pairing/new, /admin/pairing/:id/edit). */
export function AdminPairingPlanEditor() {
  const { id } = useParams();
  useDocumentTitle(id ? '修改结对' : '新建结对');
  const q = usePairingPlan(id);
  if (!id) return <Editor />;
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return <Editor plan={q.data} />;
}
