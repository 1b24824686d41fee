import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Segmented, Skeleton, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { JOIN_REQUEST_STATUS_NAMES, type JoinRequestDto, type MeDto } from '@wenming/contracts';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { useCategoryName } from '../../../lib/categories';
import { formatDateTime } from '../../../lib/format';
import { useDebounced } from '../../../lib/use-debounced';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useJoinTargets, useMyJoinRequests, useMyOrganisations, useRequestToJoin, useWithdrawJoinRequest } from '../api/organisations-api';
import { JOIN_STATUS_COLORS } from './join-requests-table';
import './organisations.css';

type Target = { kind: 'team' | 'organisation'; id: string; name: string };

function ApplyModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const { message } = App.useApp();
  const apply = useRequestToJoin();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={!!target}
      title={target ? `申请加入「${target.name}」` : ''}
      okText="提交申请"
      cancelText="取消"
      okButtonProps={{ size: 'large', loading: apply.isPending, ...({ 'data-testid': 'apply-submit' } as Record<string, string>) }}
      cancelButtonProps={{ size: 'large' }}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        if (!target) return;
        setError(null);
        try {
          await apply.mutateAsync({
            ...(target.kind === 'team' ? { teamId: target.id } : { organisationId: target.id }),
            message: text.trim() || undefined,
          });
          message.success('申请已提交，请等待审核');
          setText('');
          onClose();
        } catch (e) {
          setError(errorMessage(e));
        }
      }}
    >
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={200}
        autoSize={{ minRows: 3 }}
        placeholder="介绍一下自己（可不填），如：有急救证，周末有空"
        style={{ fontSize: '1rem' }}
        aria-label="申请留言"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

function RequestRow({ r }: { r: JoinRequestDto }) {
  const { message, modal } = App.useApp();
  const withdraw = useWithdrawJoinRequest();
  return (
    <div className="org-h5-item" data-testid="my-join-request" data-status={r.status}>
      <div className="org-h5-item-main">
        <div className="org-h5-item-name">{r.targetName}</div>
        <div className="org-h5-item-desc">
          {r.kind === 'team' ? '队伍' : '组织'} · {formatDateTime(r.createdAt)} 申请
        </div>
        {r.status === 'refused' && r.reason && <div className="org-h5-reason">未通过理由：{r.reason}</div>}
      </div>
      <Tag color={JOIN_STATUS_COLORS[r.status]}>{JOIN_REQUEST_STATUS_NAMES[r.status]}</Tag>
      {r.allowedActions.includes('withdraw') && (
        <Button
          size="small"
          onClick={() =>
            modal.confirm({
              title: '撤回这条申请？',
              okText: '撤回',
              cancelText: '不撤回',
              onOk: async () => {
                try {
                  await withdraw.mutateAsync(r.id);
                  message.success('已撤回');
                } catch (e) {
                  message.error(errorMessage(e));
                }
              },
            })
          }
        >
          撤回
        </Button>
      )}
    </div>
  );
}

/** 我的组织 (phone): the organisations and teams I belong to, my join requests, and 申请加入. */
export function H5MyOrganisationsPage({ me }: { me: MeDto }) {
  useDocumentTitle('我的组织');
  const mine = useMyOrganisations();
  const requests = useMyJoinRequests();
  const categoryName = useCategoryName();
  const [kind, setKind] = useState<'team' | 'organisation'>('organisation');
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), 300);
  const targets = useJoinTargets(q, !!me.volunteerId);
  const [applying, setApplying] = useState<Target | null>(null);
  const m = mine.data;
  const list = kind === 'team' ? (targets.data?.teams ?? []) : (targets.data?.organisations ?? []);
  return (
    <div className="h5-page org-h5">
      {m && m.administered.length > 0 && (
        <section className="h5-card">
          <div className="h5-card-head">
            <span className="h5-card-title">我管理的组织</span>
          </div>
          {m.administered.map((o) => (
            <div className="org-h5-item" key={o.id}>
              <div className="org-h5-item-main">
                <div className="org-h5-item-name">{o.name}</div>
                <div className="org-h5-item-desc">
                  成员 {o.memberCount} 人 · 队伍 {o.teamCount} 支
                </div>
              </div>
            </div>
          ))}
          <Link to="/admin/organisations">
            <Button block size="large" type="primary" style={{ marginTop: 8 }}>
              进入组织管理（电脑端）
            </Button>
          </Link>
        </section>
      )}
      {!me.volunteerId ? (
        <section className="h5-card">
          <Alert type="info" showIcon title="报到成为志愿者后，才能申请加入队伍和组织" />
          <Link to="/h5/volunteer/register">
            <Button block size="large" type="primary" style={{ marginTop: 12 }}>
              去报到
            </Button>
          </Link>
        </section>
      ) : (
        <>
          <section className="h5-card" data-testid="my-memberships">
            <div className="h5-card-head">
              <span className="h5-card-title">我加入的组织和队伍</span>
            </div>
            {mine.isError ? (
              <QueryError error={mine.error} onRetry={() => void mine.refetch()} />
            ) : !m ? (
              <Skeleton active />
            ) : m.memberOf.length + m.teams.length === 0 ? (
              <div className="org-h5-empty">还没有加入组织或队伍，可在下方申请</div>
            ) : (
              <>
                {m.memberOf.map((o) => (
                  <div className="org-h5-item" key={o.id}>
                    <Tag color="blue">组织</Tag>
                    <div className="org-h5-item-main">
                      <div className="org-h5-item-name">{o.name}</div>
                      <div className="org-h5-item-desc">{o.categories.map((c) => categoryName(c)).join('、') || '—'}</div>
                    </div>
                  </div>
                ))}
                {m.teams.map((t) => (
                  <div className="org-h5-item" key={t.id}>
                    <Tag color="green">队伍</Tag>
                    <div className="org-h5-item-main">
                      <div className="org-h5-item-name">{t.name}</div>
                      <div className="org-h5-item-desc">{t.orgName}</div>
                    </div>
                  </div>
                ))}
              </>
            )}
          </section>

          <section className="h5-card">
            <div className="h5-card-head">
              <span className="h5-card-title">我的申请</span>
            </div>
            {requests.isError ? (
              <QueryError error={requests.error} onRetry={() => void requests.refetch()} />
            ) : !requests.data ? (
              <Skeleton active />
            ) : requests.data.items.length === 0 ? (
              <div className="org-h5-empty">暂无申请</div>
            ) : (
              requests.data.items.map((r) => <RequestRow key={r.id} r={r} />)
            )}
          </section>

          <section className="h5-card">
            <div className="h5-card-head">
              <span className="h5-card-title">申请加入</span>
            </div>
            <Segmented
              block
              size="large"
              value={kind}
              onChange={(v) => setKind(v as 'team' | 'organisation')}
              options={[
                { value: 'organisation', label: '志愿服务组织' },
                { value: 'team', label: '志愿服务队' },
              ]}
            />
            <Input.Search
              allowClear
              size="large"
              placeholder="搜索名称"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              style={{ margin: '12px 0 4px' }}
            />
            {targets.isError ? (
              <QueryError error={targets.error} onRetry={() => void targets.refetch()} />
            ) : !targets.data ? (
              <Skeleton active />
            ) : list.length === 0 ? (
              <div className="org-h5-empty">没有找到</div>
            ) : (
              list.map((t) => (
                <div className="org-h5-item" key={t.id} data-testid="join-target">
                  <div className="org-h5-item-main">
                    <div className="org-h5-item-name">{t.name}</div>
                    <div className="org-h5-item-desc">
                      {'orgName' in t ? `${t.orgName} · ` : ''}
                      {t.memberCount} 人
                    </div>
                  </div>
                  {t.member ? (
                    <Tag color="green">已加入</Tag>
                  ) : t.pending ? (
                    <Tag color="gold">审核中</Tag>
                  ) : (
                    <Button type="primary" onClick={() => setApplying({ kind, id: t.id, name: t.name })} data-testid="apply-join">
                      申请加入
                    </Button>
                  )}
                </div>
              ))
            )}
          </section>
        </>
      )}
      <ApplyModal target={applying} onClose={() => setApplying(null)} />
    </div>
  );
}
