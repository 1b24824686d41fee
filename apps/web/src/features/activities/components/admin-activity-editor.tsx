import { Alert, Button, Card, Form, Result, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { LoadFailure } from '../../../components/load-failure';
import { PageHeader } from '../../../components/page-header';
import { clearErrorsOnChange } from '../../../lib/form-errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useActivity, type ActivityDto } from '../api/activities-api';
import { useActivityEditor } from '../hooks/use-activity-editor';
import type { ActivityFormValues } from './activity-form-values';
import { ActivityIntroCard, ActivityPlaceCard, ActivityRulesCard } from './activity-form-more';
import { ActivityBasicsCard, ActivityTimeCard } from './activity-form-sections';
import './activities.css';

/** 新建活动 (saved as a draft; published from its page after a check), or 编辑草稿 with `draft`. */
function ActivityForm({ draft }: { draft?: ActivityDto }) {
  const e = useActivityEditor(draft);
  const { editing } = e;
  const { repeat, repeatWeeks } = e.watched;
  return (
    <div className="act-editor">
      <PageHeader
        title={editing ? '编辑活动草稿' : '新建活动'}
        description={
          editing ? '只有草稿可以修改；发布后如需改动，请取消后重新创建。' : '先保存为草稿，在活动页核对后发布；发布后居民和志愿者即可在手机上报名。'
        }
        extra={
          <Link to={e.backTo}>
            <Button icon={<ArrowLeftOutlined />}>{editing ? '返回活动页' : '返回活动列表'}</Button>
          </Link>
        }
      />
      <Form<ActivityFormValues>
        form={e.form}
        layout="vertical"
        name="activity"
        initialValues={e.initial}
        onValuesChange={clearErrorsOnChange(e.form)}
        onFinish={() => void e.submit()}
        requiredMark
        scrollToFirstError
      >
        {e.formError && <Alert type="error" showIcon title={e.formError} style={{ marginBottom: 16 }} data-testid="activity-form-error" />}
        {draft?.seriesId && <Alert type="info" showIcon title="这是每周系列活动中的一次，这里的修改只影响这一次。" style={{ marginBottom: 16 }} />}
        <ActivityBasicsCard e={e} />
        <ActivityTimeCard e={e} />
        <ActivityRulesCard e={e} />
        <ActivityPlaceCard e={e} />
        <ActivityIntroCard />
        <div className="act-editor-footer">
          <Space>
            <Button onClick={e.cancel}>取消</Button>
            <Button type="primary" htmlType="submit" loading={e.saving} data-testid="activity-save">
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
