import { Button } from 'antd';
import { RightOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useMyVolunteerProfile } from '../api/certificates-api';

export const CERTIFICATE_H5_PATH = '/h5/volunteer/certificate';

/**
 * The way to 志愿服务证明 for the signed-in volunteer; renders nothing for someone who has not
 * reported in as a volunteer. `row` fits the H5 menu lists (.h5-row), `button` anywhere else.
 */
export function CertificateLink({ variant = 'button', block }: { variant?: 'button' | 'row'; block?: boolean }) {
  const profile = useMyVolunteerProfile();
  if (!profile.data) return null;
  if (variant === 'row')
    return (
      <Link className="h5-row" to={CERTIFICATE_H5_PATH} data-testid="certificate-link">
        <span className="h5-row-icon">
          <SafetyCertificateOutlined />
        </span>
        <span className="h5-row-label">
          志愿服务证明
          <span className="h5-row-desc">出具、打印志愿服务记录证明，扫码可验真</span>
        </span>
        <RightOutlined className="h5-row-arrow" />
      </Link>
    );
  return (
    <Link to={CERTIFICATE_H5_PATH} data-testid="certificate-link" style={block ? { display: 'block' } : undefined}>
      <Button icon={<SafetyCertificateOutlined />} block={block} size="large">
        志愿服务证明
      </Button>
    </Link>
  );
}
