import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CourseDto, LecturerDto, MeDto, TCreateCourseBody, TCreateLecturerBody, TrainingSessionDto } from '@wenming/contracts';
import { OrgSearchSelect } from '../../../components/org-search-select';
import { PageHeader } from '../../../components/page-header';
import { PagedTable } from '../../../components/paged-table';
import { QrCode } from '../../../components/qr-code';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime, localInputToIso } from '../../../lib/format';
import { publicOrigin } from '../../../lib/public-origin';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOrgParam } from '../../../lib/use-url-params';
import { VolunteerSelect } from '../../volunteers';
import {
  useAddQualification,
  useVolunteerTraining,
  useCourses,
  useCreateCourse,
  useCreateLecturer,
  useCreateSession,
  useLecturers,
  useSession,
  useSessionAction,
  useSessionCode,
  useSessionSignups,
  useSessions,
} from '../api/training-api';

const STATE: Record<TrainingSessionDto['state'], { label: string; color: string }> = {
  open: { label: '报名中', color: 'blue' },
  finished: { label: '已结业', color: 'green' },
  cancelled: { label: '已取消', color: 'default' },
};

/** Where a volunteer's phone lands after scanning the room's code. */
export const trainingCheckinUrl = (id: string, code: string) => `${publicOrigin()}/h5/training/checkin/${id}?code=${encodeURIComponent(code)}`;

function CoursesTab({ orgId }: { orgId?: string }) {
  const list = useCourses(orgId);
  const lecturers = useLecturers(orgId);
  const create = useCreateCourse();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as TCreateCourseBody;
    try {
      await create.mutateAsync({ ...v, lecturerIds: v.lecturerIds ?? [] });
      message.success('课程已加入课程库');
      setOpen(false);
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="course-new">
          新增课程
        </Button>
      </Space>
      <PagedTable<CourseDto>
        query={list}
        rowKey="id"
        locale={{ emptyText: '课程库还是空的' }}
        data-testid="courses-table"
        columns={[
          {
            title: '课程名称',
            dataIndex: 'title',
            render: (t: string, c) => (
              <Typography.Text strong>
                {t}
                {c.status === 'retired' && <Tag style={{ marginLeft: 8 }}>已停用</Tag>}
              </Typography.Text>
            ),
          },
          { title: '类别', dataIndex: 'category', width: 120 },
          { title: '学时', dataIndex: 'hours', width: 80 },
          { title: '讲师', dataIndex: 'lecturers', render: (ls: CourseDto['lecturers']) => ls.map((l) => l.name).join('、') || '—' },
          {
            title: '结业资质',
            render: (_: unknown, c) => (c.qualification ? `${c.qualification}${c.qualificationMonths ? `（${c.qualificationMonths}个月有效）` : ''}` : '—'),
          },
          { title: '所属阵地', dataIndex: 'orgName' },
        ]}
      />
      <Modal
        title="新增课程"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={create.isPending}
        okText="保存"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ orgId, hours: 2 }}>
          <Form.Item name="orgId" label="所属阵地" rules={[{ required: true, message: '请选择阵地' }]}>
            <OrgSearchSelect />
          </Form.Item>
          <Form.Item name="title" label="课程名称" rules={[{ required: true, message: '请填写课程名称' }, { max: 100 }]}>
            <Input placeholder="如：应急救护培训" />
          </Form.Item>
          <Space size={16}>
            <Form.Item name="category" label="类别" rules={[{ required: true, message: '请填写类别' }, { max: 40 }]}>
              <Input placeholder="如：理论宣讲、应急救护" />
            </Form.Item>
            <Form.Item name="hours" label="学时" rules={[{ required: true }]}>
              <InputNumber min={0.5} max={200} step={0.5} />
            </Form.Item>
          </Space>
          <Form.Item name="lecturerIds" label="讲师（师资库）">
            <Select mode="multiple" allowClear options={(lecturers.data?.pages.flatMap((p) => p.items) ?? []).map((l) => ({ value: l.id, label: l.name }))} />
          </Form.Item>
          <Form.Item name="description" label="课程简介" rules={[{ max: 2000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Space size={16}>
            <Form.Item name="qualification" label="结业获得资质（可选）" rules={[{ max: 40 }]}>
              <Input placeholder="如：急救证" />
            </Form.Item>
            <Form.Item name="qualificationMonths" label="有效期（月）">
              <InputNumber min={1} max={240} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

function LecturersTab({ orgId }: { orgId?: string }) {
  const list = useLecturers(orgId);
  const create = useCreateLecturer();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as Omit<TCreateLecturerBody, 'specialties'> & { specialties?: string };
    try {
      const specialties = (v.specialties ?? '').split(/[,，、\s]+/).filter(Boolean);
      await create.mutateAsync({ ...v, specialties });
      message.success('讲师已加入师资库');
      setOpen(false);
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="lecturer-new">
          新增讲师
        </Button>
      </Space>
      <PagedTable<LecturerDto>
        query={list}
        rowKey="id"
        locale={{ emptyText: '师资库还是空的' }}
        columns={[
          {
            title: '姓名',
            dataIndex: 'name',
            render: (n: string, l) => (
              <Typography.Text strong>
                {n}
                {l.title ? <span className="cert-small">（{l.title}）</span> : null}
              </Typography.Text>
            ),
          },
          { title: '擅长领域', dataIndex: 'specialties', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: '资源库人才', dataIndex: 'resourceName', render: (n: string | null) => n ?? '—' },
          { title: '所属阵地', dataIndex: 'orgName' },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: string) => (s === 'active' ? <Tag color="green">在库</Tag> : <Tag>已停用</Tag>) },
        ]}
      />
      <Modal
        title="新增讲师"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={create.isPending}
        okText="保存"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ orgId }}>
          <Form.Item name="orgId" label="所属阵地" rules={[{ required: true, message: '请选择阵地' }]}>
            <OrgSearchSelect />
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }, { max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="title" label="职称/身份" rules={[{ max: 50 }]}>
            <Input placeholder="如：主治医师、党校讲师" />
          </Form.Item>
          <Form.Item name="specialties" label="擅长领域（用顿号或逗号分隔）">
            <Input placeholder="如：党史、应急救护" />
          </Form.Item>
          <Form.Item name="bio" label="简介" rules={[{ max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function SessionDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const s = useSession(id);
  const open = s.data?.state === 'open';
  const code = useSessionCode(id, open && !!s.data?.allowedActions.includes('checkinCode'));
  const signups = useSessionSignups(id);
  const act = useSessionAction();
  const { message, modal } = App.useApp();
  const run = (action: 'finish' | 'cancel' | 'attendance', body?: object, ok = '已完成') =>
    act.mutateAsync({ id, action, body }).then(
      () => {
        message.success(ok);
        void s.refetch();
        void signups.refetch();
      },
      (e: unknown) => message.error(errorMessage(e)),
    );
  const d = s.data;
  return (
    <Drawer open title={d ? d.course.title : '培训班次'} width={640} onClose={onClose} data-testid="session-drawer">
      {d && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="状态">
              <Tag color={STATE[d.state].color}>{STATE[d.state].label}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="时间">
              {formatDateTime(d.startsAt)} 至 {formatDateTime(d.endsAt)}
            </Descriptions.Item>
            <Descriptions.Item label="地点">
              {d.orgName} · {d.address}
            </Descriptions.Item>
            <Descriptions.Item label="学时">{d.course.hours} 学时（培训学时，不计入服务时长）</Descriptions.Item>
            <Descriptions.Item label="名额">
              {d.registered} / {d.capacity}
            </Descriptions.Item>
          </Descriptions>
          {code.data && (
            <Card size="small" style={{ marginTop: 16, textAlign: 'center' }} title="扫码签到（每30秒更新）">
              <div style={{ display: 'inline-block' }}>
                <QrCode value={trainingCheckinUrl(d.id, code.data.code)} size={180} label="培训签到二维码" testId="training-qr" />
              </div>
            </Card>
          )}
          <Space style={{ margin: '16px 0' }}>
            {d.allowedActions.includes('finish') && (
              <Button
                type="primary"
                onClick={() =>
                  modal.confirm({ title: '确认结业？', content: '签到者将记入培训学时并获得课程资质。', onOk: () => run('finish', undefined, '已结业') })
                }
              >
                结业
              </Button>
            )}
            {d.allowedActions.includes('cancel') && (
              <Button
                danger
                onClick={() => modal.confirm({ title: '取消这期培训？', content: '已报名者会收到通知。', onOk: () => run('cancel', undefined, '已取消') })}
              >
                取消培训
              </Button>
            )}
          </Space>
          <Typography.Title level={5}>报名与签到（{signups.data?.items.length ?? 0}）</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={signups.data?.items ?? []}
            locale={{ emptyText: '还没有人报名' }}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '手机', dataIndex: 'phone' },
              {
                title: '签到',
                render: (_: unknown, r) =>
                  r.checkinAt ? (
                    <span>
                      {formatDateTime(r.checkinAt)}
                      {r.attendanceNote && <Tag style={{ marginLeft: 6 }}>补录</Tag>}
                    </span>
                  ) : open ? (
                    <Button size="small" onClick={() => void run('attendance', { signupId: r.id, reason: '现场核实，手工补录' }, '已补录签到')}>
                      补录签到
                    </Button>
                  ) : (
                    '未签到'
                  ),
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

function SessionsTab({ orgId }: { orgId?: string }) {
  const list = useSessions('all', orgId);
  const courses = useCourses();
  const create = useCreateSession();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as { courseId: string; orgId: string; address: string; startsAt: string; endsAt: string; capacity: number };
    try {
      await create.mutateAsync({ ...v, startsAt: localInputToIso(v.startsAt)!, endsAt: localInputToIso(v.endsAt)! });
      message.success('已开班，志愿者可在手机上报名');
      setOpen(false);
      form.resetFields();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="session-new">
          开班
        </Button>
      </Space>
      <PagedTable<TrainingSessionDto>
        query={list}
        rowKey="id"
        locale={{ emptyText: '还没有培训班次' }}
        data-testid="sessions-table"
        columns={[
          { title: '课程', render: (_: unknown, s) => <a onClick={() => setShown(s.id)}>{s.course.title}</a> },
          { title: '时间', dataIndex: 'startsAt', render: (t: string) => formatDateTime(t), width: 170 },
          { title: '地点', render: (_: unknown, s) => `${s.orgName} · ${s.address}` },
          { title: '报名', width: 90, render: (_: unknown, s) => `${s.registered}/${s.capacity}` },
          { title: '状态', dataIndex: 'state', width: 90, render: (st: TrainingSessionDto['state']) => <Tag color={STATE[st].color}>{STATE[st].label}</Tag> },
        ]}
      />
      <Modal
        title="开班"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={create.isPending}
        okText="保存"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ orgId, capacity: 30 }}>
          <Form.Item name="courseId" label="课程" rules={[{ required: true, message: '请选择课程' }]}>
            <Select options={(courses.data?.pages.flatMap((p) => p.items) ?? []).map((c) => ({ value: c.id, label: `${c.title}（${c.hours}学时）` }))} />
          </Form.Item>
          <Form.Item name="orgId" label="举办阵地" rules={[{ required: true, message: '请选择阵地' }]}>
            <OrgSearchSelect />
          </Form.Item>
          <Form.Item name="address" label="地点" rules={[{ required: true, message: '请填写地点' }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Space size={16}>
            <Form.Item name="startsAt" label="开始" rules={[{ required: true, message: '请选择时间' }]}>
              <Input type="datetime-local" />
            </Form.Item>
            <Form.Item name="endsAt" label="结束" rules={[{ required: true, message: '请选择时间' }]}>
              <Input type="datetime-local" />
            </Form.Item>
          </Space>
          <Form.Item name="capacity" label="名额" rules={[{ required: true }]}>
            <InputNumber min={1} max={5000} />
          </Form.Item>
        </Form>
      </Modal>
      {shown && <SessionDrawer id={shown} onClose={() => setShown(null)} />}
    </>
  );
}

function QualificationsTab() {
  const [volunteerId, setVolunteerId] = useState<string | undefined>();
  const t = useVolunteerTraining(volunteerId);
  const add = useAddQualification(volunteerId ?? '');
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const submit = async () => {
    const v = (await form.validateFields()) as { name: string; validUntil?: string; note?: string };
    try {
      await add.mutateAsync({ name: v.name, validUntil: v.validUntil || null, note: v.note || null });
      message.success('资质已登记');
      form.resetFields();
      void t.refetch();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <label htmlFor="training-volunteer">志愿者</label>
        <div style={{ width: 280 }}>
          <VolunteerSelect id="training-volunteer" value={volunteerId} onChange={(id) => setVolunteerId(id)} />
        </div>
      </Space>
      {t.data && (
        <>
          <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="培训学时">{t.data.totalHours} 学时（不计入服务时长）</Descriptions.Item>
            <Descriptions.Item label="培训记录">
              {t.data.records.map((r) => `${r.trainedOn} ${r.title}（${r.hours}学时）`).join('；') || '暂无记录'}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={t.data.qualifications}
            locale={{ emptyText: '暂无资质' }}
            columns={[
              { title: '资质', dataIndex: 'name' },
              { title: '有效期至', dataIndex: 'validUntil', render: (d: string | null) => d ?? '长期有效' },
              { title: '来源', dataIndex: 'source', render: (x: string) => (x === 'course' ? '培训结业' : '工作人员登记') },
              { title: '状态', dataIndex: 'valid', render: (ok: boolean) => (ok ? <Tag color="green">有效</Tag> : <Tag>已失效</Tag>) },
            ]}
          />
          {t.data.allowedActions.includes('addQualification') && (
            <Form form={form} layout="inline" style={{ marginTop: 12 }} data-testid="qualification-form">
              <Form.Item name="name" rules={[{ required: true, message: '请填写资质名称' }, { max: 40 }]}>
                <Input placeholder="资质名称，如：急救证" />
              </Form.Item>
              <Form.Item name="validUntil">
                <Input type="date" placeholder="有效期至" />
              </Form.Item>
              <Form.Item name="note" rules={[{ max: 200 }]}>
                <Input placeholder="备注（证书编号等）" />
              </Form.Item>
              <Button type="primary" onClick={() => void submit()} loading={add.isPending}>
                登记资质
              </Button>
            </Form>
          )}
        </>
      )}
    </div>
  );
}

/** 培训管理: 课程库, 师资库, 培训班次 (sign-ups, QR attendance, 结业), 资质. */
export function AdminTrainingPage({ me }: { me: MeDto }) {
  useDocumentTitle('培训管理');
  const [orgId, setOrg] = useOrgParam(me);
  return (
    <div>
      <PageHeader
        title="培训管理"
        description="课程库与师资库（讲师可关联资源库的人才师资），按课程开班、扫码签到；结业后签到者记入培训学时（不计入服务时长），并获得课程所授资质（如急救证，可作为活动报名条件）。"
        extra={<OrgSearchSelect value={orgId} allowClear placeholder="全部阵地" style={{ width: 260 }} onChange={setOrg} />}
      />
      <Card>
        <Tabs
          items={[
            { key: 'sessions', label: '培训班次', children: <SessionsTab orgId={orgId} /> },
            { key: 'courses', label: '课程库', children: <CoursesTab orgId={orgId} /> },
            { key: 'lecturers', label: '师资库', children: <LecturersTab orgId={orgId} /> },
            { key: 'qualifications', label: '学时与资质', children: <QualificationsTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
