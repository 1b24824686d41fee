import { Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch } from 'antd';
import { OrgSearchSelect } from '../../../components/org-search-select';
import type { ActivityEditor } from '../hooks/use-activity-editor';
import { formatDuration } from './activity-format';
import { RepeatPreview } from './activity-repeat-preview';
import { LedTeamSelect, TeamSelect, TeamSiteSelect } from './activity-team-selects';

/** 基本信息: name, category, the site and the team (fixed once created; a 队长 picks among their teams). */
export function ActivityBasicsCard({ e }: { e: ActivityEditor }) {
  const { form, draft, ledTeams, pickSite } = e;
  return (
    <Card title="基本信息" className="act-editor-card">
      <Row gutter={24}>
        <Col xs={24} lg={16}>
          <Form.Item name="title" label="活动名称" required>
            <Input maxLength={100} showCount placeholder="如：永康北路社区“清洁家园”环境整治志愿活动" />
          </Form.Item>
        </Col>
        <Col xs={24} lg={8}>
          <Form.Item name="category" label="服务类别" required>
            <Select placeholder="选择类别" options={e.categoryOptions} loading={e.categoriesLoading} />
          </Form.Item>
        </Col>
        <Col xs={24} lg={12}>
          {draft ? (
            <Form.Item label="举办阵地" extra="举办阵地创建后不能修改。">
              <Input value={draft.orgName} disabled />
            </Form.Item>
          ) : ledTeams ? (
            <Form.Item name="orgId" label="举办阵地" required extra="队伍所在阵地或其下一级阵地；地址和位置默认取自阵地。">
              <TeamSiteSelect team={ledTeams.find((t) => t.id === e.watched.watchedTeam)} onSite={pickSite} />
            </Form.Item>
          ) : (
            <Form.Item name="orgId" label="举办阵地" required extra="活动归属的中心、所、站；地址和位置默认取自阵地。">
              <OrgSearchSelect
                placeholder="输入名称搜索阵地"
                onChange={(id, org) => {
                  form.setFieldsValue({ orgId: id });
                  pickSite(org);
                }}
              />
            </Form.Item>
          )}
        </Col>
        <Col xs={24} lg={12}>
          {draft ? (
            <Form.Item label="承办队伍" extra="承办队伍创建后不能修改。">
              <Input value={draft.teamId ? (e.draftTeamName ?? '') : '未指定'} disabled />
            </Form.Item>
          ) : ledTeams ? (
            <Form.Item name="teamId" label="承办队伍" required extra="您是这些队伍的队长，活动由所选队伍承办。">
              <LedTeamSelect
                teams={ledTeams}
                onChange={(id) => {
                  const team = ledTeams.find((t) => t.id === id);
                  form.setFieldsValue({ teamId: id, orgId: team?.orgId });
                }}
              />
            </Form.Item>
          ) : (
            <Form.Item name="teamId" label="承办队伍">
              <TeamSelect />
            </Form.Item>
          )}
        </Col>
      </Row>
    </Card>
  );
}

/** 时间与名额: start, end, deadline, the two quotas and, for a new activity, 每周重复 with its dates. */
export function ActivityTimeCard({ e }: { e: ActivityEditor }) {
  const { editing } = e;
  const { repeat, span, startsAt, endsAt, repeatWeeks } = e.watched;
  const series = repeat && !editing;
  return (
    <Card title="时间与名额" className="act-editor-card">
      <Row gutter={24}>
        <Col xs={24} md={8}>
          <Form.Item name="startsAt" label={series ? '第一次开始时间' : '开始时间'} required>
            <Input type="datetime-local" data-testid="activity-starts" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="endsAt"
            label={series ? '第一次结束时间' : '结束时间'}
            required
            extra={Number.isFinite(span) && span > 0 ? `共 ${formatDuration(span)}` : undefined}
          >
            <Input type="datetime-local" data-testid="activity-ends" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="signupDeadline"
            label="报名截止"
            extra={series ? '不填则每次都截止到当次开始；填了则以后每次顺延一周。' : '不填则截止到活动开始；不能晚于结束时间。'}
          >
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
      {!editing && (
        <div className="act-repeat" data-testid="activity-repeat">
          <Space size={16} wrap align="center">
            <Form.Item
              name="repeat"
              label="每周重复"
              valuePropName="checked"
              style={{ marginBottom: 0 }}
              tooltip="如太极拳班、书法课：每周同一时间举办，一次创建全部场次。"
            >
              <Switch data-testid="activity-repeat-switch" />
            </Form.Item>
            {repeat && (
              <Form.Item name="repeatWeeks" label="共几次" style={{ marginBottom: 0 }}>
                <InputNumber min={2} max={52} precision={0} suffix="次" style={{ width: 120 }} data-testid="activity-repeat-weeks" />
              </Form.Item>
            )}
          </Space>
          {repeat && <RepeatPreview startsAt={startsAt} endsAt={endsAt} weeks={repeatWeeks} />}
        </div>
      )}
    </Card>
  );
}
