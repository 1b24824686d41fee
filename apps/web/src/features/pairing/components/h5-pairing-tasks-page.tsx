import { useState } from 'react';
import { Segmented } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, RightOutlined, WarningFilled } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { PairingTaskDto } from '@wenming/contracts';
import { H5PagedList } from '../../../components/h5-paged-list';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useMyPairingTasks, type TaskView } from '../api/pairing-api';
import { formatDue, TaskKindTag, TaskStateTag } from './pairing-format';
import './pairing.css';

const VIEWS: { value: TaskView; label: string; empty: string }[] = [
  { value: 'today', label: '今天', empty: '今天没有探访任务' },
  { value: 'upcoming', label: '近期', empty: '近两周没有待探访的任务' },
  { value: 'done', label: '已完成', empty: '还没有登记过探访' },
];

export function TaskCard({ t }: { t: PairingTaskDto }) {
  return (
    <Link to={`/h5/pairing/tasks/${t.id}`} className={`h5-card pairing-task-card${t.overdue ? ' overdue' : ''}`} data-testid="pairing-task-card">
      <div className="pairing-task-head">
        <TaskKindTag kind={t.kind} />
        <TaskStateTag task={t} />
      </div>
      <div className="pairing-task-who">看望 {t.residents.map((r) => r.name).join('、')}</div>
      <div className="pairing-task-line">
        <ClockCircleOutlined /> {formatDue(t.dueAt)}
        {t.overdue && (
          <span className="pairing-overdue-text">
            {' '}
            <WarningFilled /> 已过期，请尽快登记
          </span>
        )}
      </div>
      {t.residents[0] && (
        <div className="pairing-task-line">
          <EnvironmentOutlined /> {t.residents[0].address}
        </div>
      )}
      <div className="pairing-task-foot">
        <span>{t.planName}</span>
        <RightOutlined />
      </div>
    </Link>
  );
}

function List({ view }: { view: TaskView }) {
  const q = useMyPairingTasks(view);
  return <H5PagedList query={q} empty={VIEWS.find((v) => v.value === view)!.empty} renderItem={(t) => <TaskCard t={t} />} />;
}

function Overdue() {
  const q = useMyPairingTasks('overdue');
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (!items.length) return null;
  return (
    <>
      <div className="pairing-section-title pairing-overdue-text">
        <WarningFilled /> 逾期未登记（{items.length}）
      </div>
      {items.map((t) => (
        <TaskCard key={t.id} t={t} />
      ))}
    </>
  );
}

/** 结对帮扶: my visit tasks as a paired volunteer (today / upcoming / done). */
export function H5PairingTasksPage() {
  useDocumentTitle('结对帮扶');
  const [view, setView] = useState<TaskView>('today');
  return (
    <div className="h5-page pairing-h5">
      <section className="pairing-h5-intro">
        <b>3+1 晚霞行动</b>
        <span>按时上门看望结对的老人，看望后在这里登记，服务时长审核后计入您的志愿时长。</span>
      </section>
      <Segmented
        block
        size="large"
        value={view}
        onChange={(v) => setView(v as TaskView)}
        options={VIEWS.map(({ value, label }) => ({ value, label }))}
        className="h5-segmented h5-segmented-top"
        data-testid="pairing-view"
      />
      {view === 'today' && <Overdue />}
      <List view={view} />
    </div>
  );
}
