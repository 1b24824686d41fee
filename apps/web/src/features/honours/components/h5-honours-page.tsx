import { useState } from 'react';
import { App, Button, Empty, Segmented, Tag } from 'antd';
import { LikeOutlined, TrophyFilled } from '@ant-design/icons';
import type { HonourRoundDto } from '@wenming/contracts';
import { errorMessage } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useHonourRoll, useNominationAction, useRound, useRounds } from '../api/honours-api';
import './honours.css';

function RoundCard({ round }: { round: HonourRoundDto }) {
  const detail = useRound(round.id);
  const vote = useNominationAction();
  const { message } = App.useApp();
  const d = detail.data;
  return (
    <div className="h5-card honour-card" data-testid="honour-round-card">
      <div className="training-card-head">
        <span className="training-card-title">{round.title}</span>
        {d?.votedToday ? <Tag color="green">今天已投票</Tag> : <Tag color="orange">投票中</Tag>}
      </div>
      <div className="training-line">
        {round.orgName} · 投票至 {round.votingEndsOn} · 每个账号每天一票
      </div>
      {(d?.nominations ?? []).map((n) => (
        <div className="honour-nominee" key={n.id}>
          <div>
            <div>
              <b>{n.nominee.name}</b> <span className="training-sub">{n.orgName}</span>
            </div>
            <div className="honour-reason">{n.reason}</div>
          </div>
          <div style={{ textAlign: 'right', minWidth: 72 }}>
            <div className="training-sub">{n.votes} 票</div>
            {n.allowedActions.includes('vote') && (
              <Button
                size="small"
                type="primary"
                icon={<LikeOutlined />}
                loading={vote.isPending}
                data-testid="honour-vote"
                onClick={() =>
                  void vote.mutateAsync({ id: n.id, action: 'votes' }).then(
                    () => {
                      message.success('投票成功，明天还可以再投');
                      void detail.refetch();
                    },
                    (e: unknown) => message.error(errorMessage(e)),
                  )
                }
              >
                投票
              </Button>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

function Voting() {
  const rounds = useRounds('voting');
  const items = rounds.data?.pages.flatMap((p) => p.items) ?? [];
  if (rounds.isSuccess && !items.length) return <Empty description="目前没有正在投票的评选" />;
  return (
    <>
      {items.map((r) => (
        <RoundCard key={r.id} round={r} />
      ))}
    </>
  );
}

function Roll() {
  const roll = useHonourRoll();
  const items = roll.data?.items ?? [];
  if (roll.isSuccess && !items.length) return <Empty description="光荣榜暂无获评者" />;
  return (
    <>
      {items.map((h) => (
        <div className="h5-card training-row" key={`${h.roundId}-${h.nominee.id}`} data-testid="honour-roll-row">
          <span>
            <TrophyFilled style={{ color: '#d4a017' }} /> <b>{h.nominee.name}</b>
            <span className="training-sub"> · {h.orgName}</span>
          </span>
          <span>
            {h.roundTitle} · {h.award}
          </span>
        </div>
      ))}
    </>
  );
}

/** 评选投票 and 光荣榜 for residents and volunteers. */
export function H5HonoursPage() {
  useDocumentTitle('评选表彰');
  const [view, setView] = useState<'vote' | 'roll'>('vote');
  return (
    <div className="h5-page training-page">
      <Segmented
        block
        value={view}
        onChange={(v) => setView(v as typeof view)}
        options={[
          { value: 'vote', label: '评选投票' },
          { value: 'roll', label: '光荣榜' },
        ]}
      />
      <div style={{ marginTop: 12 }}>{view === 'vote' ? <Voting /> : <Roll />}</div>
    </div>
  );
}
