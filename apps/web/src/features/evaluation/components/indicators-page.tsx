import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  EVALUATION_METRICS,
  METRIC_INFO,
  ORG_LEVEL_NAMES,
  ZIndicatorInput,
  type EvaluatedLevel,
  type IndicatorDto,
  type MeDto,
  type OrgDto,
  type Page,
  type TIndicatorInput,
} from '@wenming/contracts';
import { OrgLevelTag } from '../../../components/org-level-tag';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { api, errorMessage } from '../../../lib/api-client';
import { clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { isAdmin } from '../../../lib/session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useIndicatorSystem, useSaveIndicatorSystem } from '../api/evaluation-api';
import { formatMetric } from './evaluation-format';

const LEVEL_ORDER: Record<string, number> = { city: 0, center: 1, institute: 2, station: 3, point: 4 };
const levelShort = (l: EvaluatedLevel) => ORG_LEVEL_NAMES[l].short;

interface Values {
  code?: string;
  name?: string;
  metric?: TIndicatorInput['metric'];
  target?: number;
  weight?: number;
  levels?: EvaluatedLevel[];
  description?: string;
}

/** Create or edit one indicator of the draft system (rates are typed in %). */
function IndicatorModal({
  open,
  initial,
  allowedLevels,
  onClose,
  onDone,
}: {
  open: boolean;
  initial: TIndicatorInput | null;
  allowedLevels: EvaluatedLevel[];
  onClose: () => void;
  onDone: (i: TIndicatorInput) => void;
}) {
  const [form] = Form.useForm<Values>();
  const metric = Form.useWatch('metric', form);
  const ratio = metric ? METRIC_INFO[metric].unit === 'ratio' : false;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (initial)
      form.setFieldsValue({ ...initial, target: METRIC_INFO[initial.metric].unit === 'ratio' ? Math.round(initial.target * 1000) / 10 : initial.target });
    else form.setFieldsValue({ levels: allowedLevels.slice(-2) });
  }, [open, initial, allowedLevels, form]);
  const submit = () => {
    const v = form.getFieldsValue();
    const target =
      v.target === undefined || v.target === null
        ? undefined
        : v.metric && METRIC_INFO[v.metric].unit === 'ratio'
          ? Math.round(v.target * 10) / 1000
          : v.target;
    const body = validateForm(form, ZIndicatorInput, {
      ...v,
      code: v.code ?? '',
      name: v.name ?? '',
      target,
      levels: v.levels ?? [],
      description: v.description?.trim() || undefined,
    });
    if (!body) return;
    onDone(body);
  };
  return (
    <Modal
      open={open}
      title={initial ? `编辑指标 ${initial.code}` : '新增指标'}
      okText="确定"
      cancelText="取消"
      onCancel={onClose}
      onOk={submit}
      destroyOnHidden
      width={600}
    >
      <Form form={form} layout="vertical" name="indicator" onValuesChange={clearErrorsOnChange(form)} onFinish={submit}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="code" label="指标编号" required>
              <Input maxLength={20} placeholder="如 S01" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="name" label="指标名称" required>
              <Input maxLength={50} placeholder="如 月均活动场次" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="metric" label="计算公式（平台数据）" required extra={metric ? METRIC_INFO[metric].formula : '从平台自动统计的数据中选择'}>
          <Select placeholder="选择指标公式" options={EVALUATION_METRICS.map((m) => ({ value: m, label: METRIC_INFO[m].name }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="target" label={`目标值${metric ? `（${METRIC_INFO[metric].unitLabel}）` : ''}`} required extra="达到目标即得满分，超出不加分">
              <InputNumber min={0} max={ratio ? 100 : 1_000_000} step={ratio ? 5 : 1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="weight" label="权重" required extra="同一层级的权重合计须为 100">
              <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="levels" label="适用层级" required>
          <Checkbox.Group options={allowedLevels.map((l) => ({ value: l, label: ORG_LEVEL_NAMES[l].zh }))} />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function indicatorColumns(extra?: (i: TIndicatorInput, index: number) => ReactNode) {
  return [
    { title: '编号', dataIndex: 'code', width: 72 },
    { title: '指标', dataIndex: 'name', width: 170, render: (n: string, i: TIndicatorInput) => (i.description ? <span title={i.description}>{n}</span> : n) },
    {
      title: '计算公式',
      dataIndex: 'metric',
      render: (m: TIndicatorInput['metric']) => (
        <div style={{ lineHeight: 1.4 }}>
          <div>{METRIC_INFO[m].name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {METRIC_INFO[m].formula}
          </Typography.Text>
        </div>
      ),
    },
    { title: '目标', key: 'target', width: 120, render: (_: unknown, i: TIndicatorInput) => formatMetric(i.metric, i.target) },
    { title: '权重', dataIndex: 'weight', width: 64 },
    { title: '适用层级', dataIndex: 'levels', width: 120, render: (ls: EvaluatedLevel[]) => ls.map((l) => <OrgLevelTag key={l} level={l} />) },
    ...(extra ? [{ title: '操作', key: 'op', width: 110, render: (_: unknown, i: TIndicatorInput, index: number) => extra(i, index) }] : []),
  ];
}

/** 指标体系: what applies below a site (own, inherited or the platform default); edit the site's own system. */
export function IndicatorsPage({ me }: { me: MeDto }) {
  useDocumentTitle('指标体系');
  const { message } = App.useApp();
  const firstGrant = me.roles.find((r) => r.role === 'org_admin' && r.orgId)?.orgId ?? me.roles.find((r) => r.orgId)?.orgId;
  // Admins start on the first city of their scope.
  const roots = useQuery({
    queryKey: ['orgs', 'roots-first'],
    queryFn: () => api<Page<OrgDto>>('/orgs', { query: { limit: 1 } }),
    enabled: isAdmin(me) && !firstGrant,
  });
  const [picked, setPicked] = useState<string | undefined>();
  const orgId = picked ?? firstGrant ?? roots.data?.items[0]?.id;
  const q = useIndicatorSystem(orgId ?? null);
  const save = useSaveIndicatorSystem();
  const [draft, setDraft] = useState<TIndicatorInput[] | null>(null);
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const sys = q.data;
  const allowedLevels = useMemo(() => (sys ? (sys.levels.map((l) => l.level) as EvaluatedLevel[]) : []), [sys]);
  useEffect(() => setDraft(null), [orgId]);

  const sums = useMemo(() => {
    const m = new Map<EvaluatedLevel, number>();
    for (const i of draft ?? []) for (const l of i.levels) m.set(l, (m.get(l) ?? 0) + i.weight);
    return m;
  }, [draft]);
  const problems = [...sums].filter(([, s]) => s !== 100);

  const startEdit = () => {
    if (!sys) return;
    // Start from the own system, or from what applies now (inherited or default) as a template.
    const base: IndicatorDto[] = sys.own.length ? sys.own : sys.effective.filter((i) => i.levels.some((l) => allowedLevels.includes(l)));
    setDraft(
      base.map((i) => ({
        code: i.code,
        name: i.name,
        metric: i.metric,
        target: i.target,
        weight: i.weight,
        levels: i.levels.filter((l) => allowedLevels.includes(l)),
        description: i.description ?? undefined,
      })),
    );
  };
  const submit = async (indicators: TIndicatorInput[]) => {
    if (!orgId) return;
    try {
      await save.mutateAsync({ orgId, indicators });
      message.success(indicators.length ? '指标体系已保存，下次计算评估时生效' : '已恢复使用上级（或平台默认）指标体系');
      setDraft(null);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const editable = sys?.allowedActions.includes('edit');
  return (
    <div>
      <PageHeader
        title="指标体系"
        description="每项指标从平台自有数据自动计算，按目标值打分（达标即满分），按权重汇总为综合得分。上级阵地的指标体系适用于其下所有阵地，下级可以自定。"
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>阵地：</span>
          <OrgSearchSelect value={orgId} onChange={(v) => setPicked(v)} style={{ width: 320 }} />
          <Typography.Text type="secondary">以下为该阵地之下各层级适用的指标</Typography.Text>
        </Space>
      </Card>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !sys ? (
        <Card loading />
      ) : sys.levels.length === 0 ? (
        <Card>
          <Empty description="实践点没有下级阵地，不设指标体系" />
        </Card>
      ) : draft ? (
        <Card
          title={`编辑「${sys.orgName}」的指标体系`}
          extra={
            <Space>
              <Button onClick={() => setDraft(null)}>取消</Button>
              <Button icon={<PlusOutlined />} onClick={() => setEditing({ index: null })}>
                新增指标
              </Button>
              <Button
                type="primary"
                icon={<SaveOutlined />}
                data-testid="indicator-save"
                disabled={problems.length > 0 || draft.length === 0}
                loading={save.isPending}
                onClick={() => void submit(draft)}
              >
                保存
              </Button>
            </Space>
          }
        >
          <Space wrap style={{ marginBottom: 12 }}>
            {allowedLevels.map((l) => {
              const s = sums.get(l);
              return (
                <Tag
                  key={l}
                  color={s === undefined ? 'default' : s === 100 ? 'success' : 'error'}
                  style={{ fontSize: 14, padding: '2px 10px' }}
                  data-testid={`sum-${l}`}
                >
                  {levelShort(l)}级权重合计：{s ?? '—'}
                  {s === undefined ? '（沿用上级）' : s === 100 ? ' ✓' : ' ≠ 100'}
                </Tag>
              );
            })}
          </Space>
          {problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title={`同一层级的权重合计须为 100：${problems.map(([l, s]) => `${levelShort(l)}级现为 ${s}`).join('，')}`}
            />
          )}
          <Table<TIndicatorInput>
            rowKey={(i) => i.code}
            dataSource={draft}
            pagination={false}
            scroll={{ x: 860 }}
            columns={indicatorColumns((_, index) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ index })} aria-label="编辑" />
                <Button
                  type="link"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => setDraft(draft.filter((__, j) => j !== index))}
                  aria-label="删除"
                />
              </Space>
            ))}
          />
          <IndicatorModal
            open={!!editing}
            initial={editing && editing.index !== null ? draft[editing.index]! : null}
            allowedLevels={allowedLevels}
            onClose={() => setEditing(null)}
            onDone={(i) => {
              const clash = draft.findIndex((d, j) => d.code.toUpperCase() === i.code.toUpperCase() && j !== editing?.index);
              if (clash >= 0) {
                message.error(`指标编号 ${i.code} 已存在`);
                return;
              }
              setDraft(editing?.index === null || editing?.index === undefined ? [...draft, i] : draft.map((d, j) => (j === editing.index ? i : d)));
              setEditing(null);
            }}
          />
        </Card>
      ) : (
        <Card
          title={`「${sys.orgName}」之下适用的指标`}
          extra={
            editable && (
              <Space>
                {sys.own.length > 0 && (
                  <Popconfirm
                    title="删除本级自定的指标体系？"
                    description="删除后下级阵地改用上级（或平台默认）指标体系。"
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => void submit([])}
                  >
                    <Button icon={<RollbackOutlined />}>恢复继承</Button>
                  </Popconfirm>
                )}
                <Button type="primary" icon={<EditOutlined />} onClick={startEdit} data-testid="indicator-edit">
                  {sys.own.length ? '编辑本级指标体系' : '自定本级指标体系'}
                </Button>
              </Space>
            )
          }
        >
          {[...sys.levels]
            .sort((a, b) => LEVEL_ORDER[a.level]! - LEVEL_ORDER[b.level]!)
            .map((l) => (
              <div key={l.level} style={{ marginBottom: 24 }}>
                <Space style={{ marginBottom: 8 }} wrap>
                  <Typography.Title level={5} style={{ margin: 0 }}>
                    {ORG_LEVEL_NAMES[l.level].zh}
                  </Typography.Title>
                  <Tag color={l.source === 'own' ? 'red' : l.source === 'inherited' ? 'gold' : 'default'}>
                    {l.source === 'own' ? '本级自定' : l.source === 'inherited' ? `继承自 ${l.ownerOrgName}` : '平台默认'}
                  </Tag>
                  <Typography.Text type="secondary">权重合计 {l.weightSum}</Typography.Text>
                </Space>
                <Table<TIndicatorInput>
                  rowKey="code"
                  size="small"
                  dataSource={sys.effective
                    .filter((i) => i.levels.includes(l.level) && i.ownerOrgId === l.ownerOrgId)
                    .map((i) => ({ ...i, description: i.description ?? undefined }))}
                  pagination={false}
                  scroll={{ x: 760 }}
                  columns={indicatorColumns()}
                />
              </div>
            ))}
          {!editable && <Typography.Text type="secondary">只有该阵地及上级的管理员可以修改指标体系。</Typography.Text>}
        </Card>
      )}
    </div>
  );
}
