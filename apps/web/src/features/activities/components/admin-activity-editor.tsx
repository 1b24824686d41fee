import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Result, Row, Select, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ZCreateActivityBody, type LedTeamDto, type OrgDto, type TCreateActivityBody, type TUpdateActivityBody } from '@wenming/contracts';
import { LoadFailure } from '../../../components/load-failure';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PhotoUpload } from '../../../components/photo-upload';
import { isApiError } from '../../../lib/api-client';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { isoToLocalInput, localInputToIso } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { isLeaderOnly, useMe } from '../../../lib/session';
import { uuid } from '../../../lib/uuid';
import { useActivity, useCreateActivity, useTeamName, useTeamOptions, useTeamSites, useUpdateActivity, type ActivityDto } from '../api/activities-api';
import { formatDuration, formatTimeRange } from './activity-format';
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
  photoIds?: string[];
  repeat?: boolean;
  repeatWeeks?: number | null;
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
  'photoIds',
  'repeatWeeks',
] as const;

const REQUIRED: [keyof Values, string][] = [
  ['title', '请填写活动名称'],
  ['category', '请选择服务类别'],
  ['orgId', '请选择举办阵地'],
  ['startsAt', '请选择开始时间'],
  ['endsAt', '请选择结束时间'],
];

/** A team in a picker: its name, and its site in grey. */
const teamOption = (t: { id: string; name: string; orgName: string }) => ({
  value: t.id,
  label: (
    <span>
      {t.name}
      <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: '0.85em' }}>
        {t.orgName}
      </Typography.Text>
    </span>
  ),
});

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
      options={(teams.data?.items ?? []).map(teamOption)}
    />
  );
}

/** 队长: one of the teams they lead organises the activity. */
function LedTeamSelect({ teams, value, onChange, id }: { teams: LedTeamDto[]; value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  return (
    <Select
      id={id}
      value={value}
      placeholder="选择您带领的队伍"
      onChange={(v: string) => onChange?.(v)}
      data-testid="activity-led-team"
      options={teams.map(teamOption)}
    />
  );
}

/**
 * 队长: the team's site or one directly below it. The site picked (also the first one, filled in
 * when the team is chosen) hands its address and position to the form once its details arrive.
 */
function TeamSiteSelect({
  team,
  value,
  onChange,
  onSite,
  id,
}: {
  team?: LedTeamDto;
  value?: string;
  onChange?: (v: string | undefined) => void;
  onSite: (org: OrgDto | undefined) => void;
  id?: string;
}) {
  const sites = useTeamSites(team);
  const reported = useRef<string | undefined>(undefined);
  const current = sites.data?.find((o) => o.id === value);
  useEffect(() => {
    if (current && reported.current !== current.id) {
      reported.current = current.id;
      onSite(current);
    }
  }, [current, onSite]);
  const options = sites.data?.length ? sites.data : team ? [{ id: team.orgId, name: team.orgName } as OrgDto] : [];
  return (
    <Select
      id={id}
      value={value}
      disabled={!team}
      loading={sites.isFetching}
      placeholder={team ? '选择举办阵地' : '先选择承办队伍'}
      onChange={(v: string) => onChange?.(v)}
      data-testid="activity-team-site"
      options={options.map((o) => ({ value: o.id, label: o.name }))}
    />
  );
}

const WEEK_MS = 7 * 86_400_000;
export const MAX_PHOTOS = 9;

/** The start and end of each occurrence of a weekly class (China has no daylight saving: a week is 7 × 24 h). */
export function weeklyOccurrences(startsAt: string, endsAt: string, weeks: number): { startsAt: string; endsAt: string }[] {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt);
  return Array.from({ length: weeks }, (_, k) => ({ startsAt: new Date(s + k * WEEK_MS).toISOString(), endsAt: new Date(e + k * WEEK_MS).toISOString() }));
}

/** 每周重复: the dates the series will have, so the organiser sees what will be created. */
function RepeatPreview({ startsAt, endsAt, weeks }: { startsAt?: string; endsAt?: string; weeks?: number | null }) {
  const s = localInputToIso(startsAt);
  const e = localInputToIso(endsAt);
  if (!s || !e || !(Date.parse(e) > Date.parse(s))) return <Typography.Text type="secondary">先填写开始和结束时间，这里会列出每次活动的日期。</Typography.Text>;
  if (!weeks || weeks < 2 || weeks > 52) return <Typography.Text type="secondary">重复次数为 2 到 52 次。</Typography.Text>;
  const list = weeklyOccurrences(s, e, weeks);
  return (
    <div className="act-repeat-preview" data-testid="repeat-preview">
      <Typography.Text>
        将创建 <b>{weeks}</b> 次活动（每次都是草稿，可在活动页一起发布）：
      </Typography.Text>
      <div className="act-repeat-dates">
        {list.map((o, k) => (
          <Tag key={o.startsAt} color={k === 0 ? 'red' : undefined} data-testid="repeat-date">
            第 {k + 1} 次 · {formatTimeRange(o.startsAt, o.endsAt)}
          </Tag>
        ))}
      </div>
    </div>
  );
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The form's values for an existing draft. A deadline equal to the start is shown empty ("until the start"). */
function valuesOf(a: ActivityDto): Values {
  return {
    title: a.title,
    category: a.category,
    orgId: a.orgId,
    teamId: a.teamId ?? undefined,
    startsAt: isoToLocalInput(a.startsAt),
    endsAt: isoToLocalInput(a.endsAt),
    signupDeadline: a.signupDeadline === a.startsAt ? '' : isoToLocalInput(a.signupDeadline),
    volunteerQuota: a.volunteerQuota,
    publicQuota: a.publicQuota,
    partyOnly: a.partyOnly,
    teamOnly: a.teamOnly,
    adultsOnly: a.adultsOnly,
    requiredSkills: a.requiredSkills,
    address: a.address ?? '',
    lat: a.lat,
    lng: a.lng,
    geofenceM: a.geofenceM,
    description: a.description ?? '',
    photoIds: a.photoIds,
  };
}

/**
 * What PATCH /activities/:id needs: only the fields that differ from the draft as loaded;
 * an optional field emptied in the form is sent as `null` (cleared).
 */
export function changesOf(a: ActivityDto, initial: Values, body: TCreateActivityBody, v: Values): TUpdateActivityBody {
  const patch: Record<string, unknown> = {};
  if (body.title !== a.title) patch.title = body.title;
  if (body.category !== a.category) patch.category = body.category;
  // Times: compared as the form shows them (minutes), so an untouched time is never sent.
  if (v.startsAt !== initial.startsAt) patch.startsAt = body.startsAt;
  if (v.endsAt !== initial.endsAt) patch.endsAt = body.endsAt;
  if ((v.signupDeadline ?? '') !== (initial.signupDeadline ?? '')) patch.signupDeadline = body.signupDeadline ?? null;
  if (body.volunteerQuota !== a.volunteerQuota) patch.volunteerQuota = body.volunteerQuota;
  if ((body.publicQuota ?? 0) !== a.publicQuota) patch.publicQuota = body.publicQuota ?? 0;
  for (const k of ['partyOnly', 'teamOnly', 'adultsOnly'] as const) if ((body[k] ?? false) !== a[k]) patch[k] = body[k] ?? false;
  if (!sameList(body.requiredSkills ?? [], a.requiredSkills)) patch.requiredSkills = body.requiredSkills ?? [];
  for (const k of ['description', 'address'] as const) if ((body[k] ?? null) !== (a[k] ?? null)) patch[k] = body[k] ?? null;
  // Latitude and longitude go together (the server checks them as a pair).
  if ((body.lat ?? null) !== a.lat || (body.lng ?? null) !== a.lng) {
    patch.lat = body.lat ?? null;
    patch.lng = body.lng ?? null;
  }
  if ((body.geofenceM ?? null) !== a.geofenceM) patch.geofenceM = body.geofenceM ?? null;
  if (!sameList(body.photoIds ?? [], a.photoIds)) patch.photoIds = body.photoIds ?? [];
  return patch as TUpdateActivityBody;
}

/** 新建活动 (saved as a draft; published from its page after a check), or 编辑草稿 with `draft`. */
function ActivityForm({ draft }: { draft?: ActivityDto }) {
  const editing = !!draft;
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateActivity();
  const update = useUpdateActivity(draft?.id ?? '');
  const categories = useCategories();
  const teamName = useTeamName(draft?.teamId);
  const me = useMe().data;
  // 队长 (no staff role) pick one of their teams, and the team's site or one below it.
  const ledTeams = isLeaderOnly(me) ? (me?.ledTeams ?? []) : null;
  const [formError, setFormError] = useState<string | null>(null);
  // The site's own address and position fill the fields until someone types their own.
  const filledFrom = useRef<OrgDto | null>(null);
  const key = useRef(uuid());
  const [initial] = useState<Values>(() => {
    if (draft) return valuesOf(draft);
    const blank: Values = { publicQuota: 0, partyOnly: false, teamOnly: false, adultsOnly: false, photoIds: [], repeat: false, repeatWeeks: 4 };
    const only = ledTeams?.length === 1 ? ledTeams[0] : undefined;
    return only ? { ...blank, teamId: only.id, orgId: only.orgId } : blank;
  });
  const startsAt = Form.useWatch('startsAt', form);
  const endsAt = Form.useWatch('endsAt', form);
  const watchedTeam = Form.useWatch('teamId', form);
  // A draft's team is fixed (no field for it): the team-only switch follows the draft's.
  const teamId = draft ? draft.teamId : watchedTeam;
  const lat = Form.useWatch('lat', form);
  const repeat = Form.useWatch('repeat', form);
  const repeatWeeks = Form.useWatch('repeatWeeks', form);
  const span = startsAt && endsAt ? Date.parse(localInputToIso(endsAt)!) - Date.parse(localInputToIso(startsAt)!) : NaN;
  const backTo = draft ? `/admin/activities/${draft.id}` : '/admin/activities';

  const pickSite = (org: OrgDto | undefined) => {
    const prev = filledFrom.current;
    const v = form.getFieldsValue();
    const untouched = (field: 'address' | 'lat' | 'lng') =>
      v[field] === undefined || v[field] === null || v[field] === '' || (prev && v[field] === prev[field]);
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
    const v = form.getFieldsValue(true) as Values;
    const missing = REQUIRED.filter(([k]) => v[k] === undefined || v[k] === null || v[k] === '');
    if (ledTeams && !editing && !v.teamId) missing.unshift(['teamId', '请选择承办队伍']);
    if (v.volunteerQuota === undefined || v.volunteerQuota === null) missing.push(['volunteerQuota', '请填写志愿者名额（不招志愿者填 0）']);
    if (v.repeat && !editing && (v.repeatWeeks === undefined || v.repeatWeeks === null)) missing.push(['repeatWeeks', '请填写重复次数（2 到 52 次）']);
    if (missing.length) {
      form.setFields(missing.map(([name, msg]) => ({ name, errors: [msg] })));
      return;
    }
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const num = (n: number | null | undefined) => (n === null || n === undefined ? undefined : n);
    // A draft is checked as a whole, as the server checks it after merging the changes.
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
      photoIds: v.photoIds?.length ? v.photoIds : undefined,
      repeatWeeks: !editing && v.repeat ? num(v.repeatWeeks) : undefined,
    });
    if (!body) return;
    if (draft) {
      const patch = changesOf(draft, initial, body, v);
      if (!Object.keys(patch).length) {
        message.info('没有修改');
        navigate(backTo);
        return;
      }
      try {
        await update.mutateAsync(patch);
        message.success('草稿已保存');
        navigate(backTo, { replace: true });
      } catch (e) {
        if (isApiError(e) && e.status === 409) setFormError('活动已发布或已取消，不能再修改草稿。请返回活动页查看。');
        else setFormError(applyApiError(form, e, FIELDS));
      }
      return;
    }
    try {
      const a = await create.mutateAsync({ body, key: key.current });
      message.success(
        a.occurrenceIds.length > 1
          ? `已保存 ${a.occurrenceIds.length} 次活动草稿（每周一次）。核对无误后点“发布整个系列”。`
          : '已保存为草稿。核对无误后点“发布”开始招募。',
      );
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
        title={editing ? '编辑活动草稿' : '新建活动'}
        description={
          editing ? '只有草稿可以修改；发布后如需改动，请取消后重新创建。' : '先保存为草稿，在活动页核对后发布；发布后居民和志愿者即可在手机上报名。'
        }
        extra={
          <Link to={backTo}>
            <Button icon={<ArrowLeftOutlined />}>{editing ? '返回活动页' : '返回活动列表'}</Button>
          </Link>
        }
      />
      <Form<Values>
        form={form}
        layout="vertical"
        name="activity"
        initialValues={initial}
        onValuesChange={clearErrorsOnChange(form)}
        onFinish={() => void submit()}
        requiredMark
        scrollToFirstError
      >
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="activity-form-error" />}
        {draft?.seriesId && <Alert type="info" showIcon title="这是每周系列活动中的一次，这里的修改只影响这一次。" style={{ marginBottom: 16 }} />}
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
              {draft ? (
                <Form.Item label="举办阵地" extra="举办阵地创建后不能修改。">
                  <Input value={draft.orgName} disabled />
                </Form.Item>
              ) : ledTeams ? (
                <Form.Item name="orgId" label="举办阵地" required extra="队伍所在阵地或其下一级阵地；地址和位置默认取自阵地。">
                  <TeamSiteSelect team={ledTeams.find((t) => t.id === watchedTeam)} onSite={pickSite} />
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
                  <Input value={draft.teamId ? (teamName.data ?? '') : '未指定'} disabled />
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

        <Card title="时间与名额" className="act-editor-card">
          <Row gutter={24}>
            <Col xs={24} md={8}>
              <Form.Item name="startsAt" label={repeat && !editing ? '第一次开始时间' : '开始时间'} required>
                <Input type="datetime-local" data-testid="activity-starts" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="endsAt"
                label={repeat && !editing ? '第一次结束时间' : '结束时间'}
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
                extra={repeat && !editing ? '不填则每次都截止到当次开始；填了则以后每次顺延一周。' : '不填则截止到活动开始；不能晚于结束时间。'}
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
                <InputNumber
                  min={50}
                  max={50000}
                  precision={0}
                  step={50}
                  style={{ width: '100%' }}
                  placeholder="如 500"
                  suffix="米"
                  disabled={lat === null || lat === undefined}
                  data-testid="activity-geofence"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title="活动介绍" className="act-editor-card">
          <Form.Item name="description">
            <Input.TextArea maxLength={20000} autoSize={{ minRows: 4, maxRows: 14 }} placeholder="活动内容、集合地点、需要携带的物品、联系人等" />
          </Form.Item>
          <Form.Item
            name="photoIds"
            label="活动图片"
            extra={`最多 ${MAX_PHOTOS} 张，第一张作为封面；JPG、PNG、WebP 或 GIF，每张不超过 5 MB。`}
            style={{ marginBottom: 0 }}
            data-testid="activity-photos"
          >
            <PhotoUpload max={MAX_PHOTOS} />
          </Form.Item>
        </Card>

        <div className="act-editor-footer">
          <Space>
            <Button onClick={() => navigate(backTo)}>取消</Button>
            <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending} data-testid="activity-save">
              {editing ? '保存修改' : repeat ? `保存 ${repeatWeeks && repeatWeeks >= 2 && repeatWeeks <= 52 ? repeatWeeks : ''} 次草稿` : '保存草稿'}
            </Button>
          </Space>
        </div>
      </Form>
    </div>
  );
}

/** 新建活动 */
export function AdminActivityEditor() {
  useDocumentTitle('新建活动');
  return <ActivityForm />;
}

/** 编辑草稿: /admin/activities/:id/edit (PATCH of the changed fields; drafts only). */
export function AdminActivityEditPage() {
  const { id } = useParams();
  const q = useActivity(id);
  useDocumentTitle(q.data ? `编辑：${q.data.title}` : '编辑活动');
  if (q.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (q.isError)
    return (
      <LoadFailure
        error={q.error}
        onRetry={() => void q.refetch()}
        title="找不到这个活动"
        subTitle="活动不存在，或不在您的管辖范围内。"
        back={{ to: '/admin/activities', label: '返回活动列表' }}
      />
    );
  if (!q.data.allowedActions.includes('edit'))
    return (
      <Result
        status="info"
        title="这个活动不能再修改"
        subTitle="只有草稿可以修改；已发布、已结束或已取消的活动不能编辑。"
        extra={
          <Link to={`/admin/activities/${q.data.id}`}>
            <Button type="primary">返回活动页</Button>
          </Link>
        }
      />
    );
  // Keyed by the activity, so the form starts again from the draft as loaded.
  return <ActivityForm key={q.data.id} draft={q.data} />;
}
