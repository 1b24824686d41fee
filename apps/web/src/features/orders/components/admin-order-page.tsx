import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { OrderWorkbench } from './order-workbench';

/** 工单详情 (staff): every field, the timeline and the actions. */
export function AdminOrderPage() {
  const { id } = useParams();
  useDocumentTitle('工单详情');
  return (
    <div>
      <PageHeader
        title="工单详情"
        extra={
          <Link to="/admin/dispatch">
            <Button icon={<ArrowLeftOutlined />}>返回调度台</Button>
          </Link>
        }
      />
      {id && <OrderWorkbench orderId={id} />}
    </div>
  );
}
