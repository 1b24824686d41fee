import { App, Button, Empty, Result, Skeleton, Tag } from 'antd';
import { FileProtectOutlined, LeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { QueryError } from '../../../components/query-error';
import { errorMessage } from '../../../lib/api-client';
import { formatDateTime } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useIssueCertificate, useMyVolunteerProfile, useVolunteerCertificates } from '../api/certificates-api';
import { hoursText, starsText } from './format';
import './h5-certificates.css';

function Issued({ volunteerId }: { volunteerId: string }) {
  const q = useVolunteerCertificates(volunteerId);
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data.items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有出具过证明" />;
  return (
    <ul className="h5cert-list" data-testid="certificate-list">
      {q.data.items.map((c) => (
        <li key={c.serial} className="h5cert-item">
          <div className="h5cert-item-main">
            <span className="h5cert-serial">{c.serial}</span>
            <span className="h5cert-meta">
              {formatDateTime(c.issuedAt)} · {hoursText(c.totalHours)} 小时{c.star > 0 ? ` · ${c.star}星` : ''}
              {c.issuedByName ? ` · ${c.issuedByName}出具` : ''}
            </span>
          </div>
          <div className="h5cert-item-side">
            {c.revokedAt ? (
              <Tag>已作废</Tag>
            ) : (
              <Link to={`/certificate/${c.serial}`}>
                <Button size="small" type="primary" ghost>
                  查看/打印
                </Button>
              </Link>
            )}
            <Link to={`/verify/${c.serial}`} className="h5cert-verify">
              核验
            </Link>
          </div>
        </li>
      ))}
    </ul>
  );
}

function IssueButton({ volunteerId }: { volunteerId: string }) {
  const issue = useIssueCertificate(volunteerId);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const run = async () => {
    try {
      const c = await issue.mutateAsync(undefined);
      navigate(`/certificate/${c.serial}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Button
      type="primary"
      size="large"
      block
      icon={<FileProtectOutlined />}
      loading={issue.isPending}
      onClick={() => void run()}
      data-testid="certificate-issue"
    >
      出具志愿服务证明
    </Button>
  );
}

/** /h5/volunteer/certificate — the volunteer issues and reprints their service certificates. */
export function H5CertificatesPage() {
  useDocumentTitle('志愿服务证明');
  const navigate = useNavigate();
  const v = useMyVolunteerProfile();
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/h5/volunteer', { replace: true }));

  let body: React.ReactNode;
  if (v.isPending) body = <Skeleton active className="h5cert-card" />;
  else if (v.isError) body = <QueryError error={v.error} onRetry={() => void v.refetch()} />;
  else if (!v.data)
    body = (
      <Result
        status="info"
        title="您还不是志愿者"
        subTitle="报到成为志愿者并参加服务后，可以在这里出具志愿服务证明。"
        extra={
          <Link to="/h5/volunteer/register">
            <Button type="primary" size="large">
              志愿者报到
            </Button>
          </Link>
        }
      />
    );
  else {
    const d = v.data;
    body = (
      <>
        <section className="h5cert-card h5cert-hero">
          <SafetyCertificateOutlined className="h5cert-hero-icon" />
          <div className="h5cert-hero-name">{d.realName}</div>
          <div className="h5cert-hero-org">{d.orgName}</div>
          <div className="h5cert-hero-stats">
            <div>
              <b>{hoursText(d.totalHours)}</b>
              <span>认定时长（小时）</span>
            </div>
            <div>
              <b className="h5cert-stars">{d.star > 0 ? starsText(d.star) : '—'}</b>
              <span>星级</span>
            </div>
          </div>
        </section>
        <section className="h5cert-card">
          <p className="h5cert-explain">
            证明依照《志愿服务记录与证明出具办法》列出<b>基本信息、服务记录、培训、表彰奖励和服务评价</b>
            五部分，以出具时平台认定的记录为准。每次出具生成新的编号，证明上的二维码可供他人扫码核验真伪。
          </p>
          <IssueButton volunteerId={d.id} />
        </section>
        <section className="h5cert-card">
          <div className="h5cert-card-title">已出具的证明</div>
          <Issued volunteerId={d.id} />
        </section>
      </>
    );
  }

  return (
    <div className="h5cert-page">
      <header className="h5cert-topbar">
        <button type="button" className="h5cert-back" onClick={back} aria-label="返回">
          <LeftOutlined />
        </button>
        <span className="h5cert-title">志愿服务证明</span>
      </header>
      <main className="h5cert-main">{body}</main>
    </div>
  );
}
