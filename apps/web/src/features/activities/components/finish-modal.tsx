import { Alert, Checkbox, Input, InputNumber, Modal, Space, Typography } from 'antd';
import type { ActivityDto, SignupDto } from '../api/activities-api';
import { useFinishActivity } from '../hooks/use-finish-activity';
import { formatShare } from './activity-format';

/** 结束活动: a summary, and a decision for each volunteer under 60 % attendance (no hours unless confirmed with a reason). */
export function FinishModal({ a, signups, onClose }: { a: ActivityDto; signups: SignupDto[]; onClose: () => void }) {
  const f = useFinishActivity(a, signups, onClose);
  return (
    <Modal
      open
      title="结束活动"
      okText="结束活动"
      cancelText="取消"
      onOk={() => void f.submit()}
      onCancel={onClose}
      confirmLoading={f.finishing}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph>
        结束后不能再签到、补录。系统按签到、签退时间与活动时间的重合部分为志愿者生成<b>待审核</b>的服务时长（按 0.1 小时向下取整），经工作人员审核后计入。
      </Typography.Paragraph>
      <Alert
        type="info"
        showIcon
        title={`将为 ${f.earningCount} 位志愿者生成服务时长`}
        description={
          f.absent.length
            ? `${f.absent.length} 位志愿者没有完整的签到签退记录（${f.absent.map((r) => r.s.name).join('、')}），不生成时长；如确实到场，请先关闭此窗口补录出勤。`
            : undefined
        }
        style={{ marginBottom: 12 }}
        data-testid="finish-summary"
      />
      {f.low.length > 0 && (
        <div className="act-finish-low">
          <Typography.Text strong>出勤不足 60% 的志愿者（默认不计时长）</Typography.Text>
          {f.low.map(({ s, share }) => {
            const o = f.overrideOf(s.id);
            return (
              <div key={s.id} className="act-finish-low-row">
                <Checkbox checked={o.on} onChange={(e) => f.setOverride(s.id, { ...o, on: e.target.checked })}>
                  {s.name}：出勤 {formatShare(share)}，{s.hours} 小时 — 仍然认定
                </Checkbox>
                {o.on && (
                  <Input
                    size="small"
                    value={o.reason}
                    maxLength={500}
                    placeholder="认定理由（如：受组织方安排提前离场）"
                    onChange={(e) => f.setOverride(s.id, { ...o, reason: e.target.value })}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <span>
          <Typography.Text strong>参与人数</Typography.Text>{' '}
          <InputNumber
            min={0}
            max={1000000}
            precision={0}
            value={f.participants}
            onChange={(v) => f.setParticipants(v)}
            placeholder="按签到人数"
            aria-label="参与人数"
            data-testid="finish-participants"
          />
        </span>
        <span>
          <Typography.Text strong>服务人次</Typography.Text>{' '}
          <InputNumber
            min={0}
            max={1000000}
            precision={0}
            value={f.peopleServed}
            onChange={(v) => f.setPeopleServed(v)}
            placeholder="受益群众人次"
            aria-label="服务人次"
            data-testid="finish-served"
          />
        </span>
      </Space>
      <Typography.Text strong style={{ display: 'block' }}>
        活动总结
      </Typography.Text>
      <Input.TextArea
        value={f.summary}
        onChange={(e) => f.setSummary(e.target.value)}
        maxLength={20000}
        autoSize={{ minRows: 3, maxRows: 8 }}
        placeholder="选填：参与人数、服务成效、后续安排等，会显示在活动页"
        style={{ marginTop: 6 }}
        data-testid="finish-text"
      />
      {f.error && <Alert type="error" showIcon title={f.error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
