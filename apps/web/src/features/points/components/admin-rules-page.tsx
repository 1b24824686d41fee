import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, InputNumber, Skeleton, Space, Table, Typography } from 'antd';
import { POINTS_RULE_NAMES, type MeDto, type PointsRuleName } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { usePointsRules, useSetPointsRules } from '../api/points-api';
import './points.css';

const KEYS = Object.keys(POINTS_RULE_NAMES) as PointsRuleName[];
const HINTS: Record<PointsRuleName, string> = {
  pointsPerHour: '志愿服务时长审核通过后，按小时计分（不足1小时按比例）',
  pointsPerActivity: '参加一次志愿活动、时长审核通过后另计',
  fiveStarBonus: '群众为志愿者的服务打出五星评价时奖励',
  pointsPerPairingVisit: '结对帮扶走访记录审核通过后计分',
};

/** The first site the caller's staff roles are scoped to (their home in the console). */
export function firstScopeOrg(me: MeDto): string | undefined {
  return me.roles.find((r) => r.orgId && (r.role === 'org_admin' || r.role === 'dispatcher'))?.orgId ?? undefined;
}

/** 积分规则: each site's earning rules, with what it inherits from the sites above. */
export function AdminRulesPage({ me }: { me: MeDto }) {
  useDocumentTitle('积分规则');
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<string | undefined>(() => firstScopeOrg(me));
  const q = usePointsRules(orgId);
  const save = useSetPointsRules();
  const [draft, setDraft] = useState<Record<PointsRuleName, number | null>>({
    pointsPerHour: null,
    pointsPerActivity: null,
    fiveStarBonus: null,
    pointsPerPairingVisit: null,
  });
  useEffect(() => {
    if (q.data) setDraft(q.data.own);
  }, [q.data]);
  const dirty = q.data ? KEYS.some((k) => draft[k] !== q.data.own[k]) : false;
  const submit = async () => {
    if (!orgId) return;
    try {
      await save.mutateAsync({ orgId, ...draft });
      message.success('积分规则已保存，下级阵地未单独设置的将随之生效');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div>
      <PageHeader title="积分规则" description="以行积分：每个阵地可以设置自己的计分标准，未设置的沿用上级阵地，上级也未设置的用平台默认值。" />
      <Card>
        <Space style={{ marginBottom: 16 }}>
          <span>阵地</span>
          <OrgSearchSelect value={orgId} onChange={(id) => setOrgId(id)} style={{ width: 360 }} />
        </Space>
        {!orgId ? (
          <Empty description="请选择一个阵地" />
        ) : q.isPending ? (
          <Skeleton active />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <>
            {!q.data.canEdit && <Alert type="info" showIcon title="您可以查看本阵地的积分规则；修改需要阵地管理员权限。" style={{ marginBottom: 16 }} />}
            <Table
              rowKey="key"
              pagination={false}
              data-testid="rules-table"
              dataSource={KEYS.map((key) => ({ key }))}
              columns={[
                {
                  title: '计分项目',
                  key: 'name',
                  width: 260,
                  render: (_: unknown, { key }) => (
                    <span>
                      <Typography.Text strong>{POINTS_RULE_NAMES[key]}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {HINTS[key]}
                      </Typography.Text>
                    </span>
                  ),
                },
                {
                  title: `本阵地设置（${q.data.orgName}）`,
                  key: 'own',
                  width: 260,
                  render: (_: unknown, { key }) => (
                    <Space>
                      <InputNumber
                        min={0}
                        max={1000}
                        precision={0}
                        value={draft[key]}
                        disabled={!q.data.canEdit}
                        placeholder="沿用上级"
                        onChange={(v) => setDraft((d) => ({ ...d, [key]: v === null || v === undefined ? null : Number(v) }))}
                        addonAfter="分"
                        style={{ width: 150 }}
                        data-testid={`rule-${key}`}
                      />
                      {q.data.canEdit && draft[key] !== null && (
                        <Button type="link" size="small" onClick={() => setDraft((d) => ({ ...d, [key]: null }))}>
                          改为沿用上级
                        </Button>
                      )}
                    </Space>
                  ),
                },
                {
                  title: '当前生效',
                  key: 'effective',
                  render: (_: unknown, { key }) => {
                    const from = q.data.from[key];
                    const own = q.data.own[key] !== null;
                    return (
                      <span>
                        <Typography.Text strong style={{ fontSize: 16 }} data-testid={`effective-${key}`}>
                          {q.data.effective[key]} 分
                        </Typography.Text>{' '}
                        <span className="rules-inherited">
                          {own ? '（本阵地设置）' : from ? `（沿用 ${from.orgName}）` : q.data.effective[key] === 0 ? '（平台默认：不计分）' : '（平台默认）'}
                        </span>
                      </span>
                    );
                  },
                },
              ]}
            />
            {q.data.canEdit && (
              <Space style={{ marginTop: 16 }}>
                <Button type="primary" onClick={() => void submit()} disabled={!dirty} loading={save.isPending} data-testid="rules-save">
                  保存
                </Button>
                <Button disabled={!dirty} onClick={() => setDraft(q.data.own)}>
                  撤销修改
                </Button>
              </Space>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
