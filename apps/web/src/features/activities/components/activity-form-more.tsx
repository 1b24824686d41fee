import { Card, Col, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { PhotoUpload } from '../../../components/photo-upload';
import type { ActivityEditor } from '../hooks/use-activity-editor';
import { MAX_PHOTOS } from './activity-form-values';

/** 报名条件（志愿者）: party members, team members, adults, skills. */
export function ActivityRulesCard({ e }: { e: ActivityEditor }) {
  const { teamId } = e.watched;
  return (
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
            <Select mode="multiple" allowClear placeholder="不限" options={e.categoryOptions} maxCount={10} />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

/** 地点与签到: the address, the position and the check-in radius (only with a position). */
export function ActivityPlaceCard({ e }: { e: ActivityEditor }) {
  const noPosition = e.watched.lat === null || e.watched.lat === undefined;
  return (
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
          <Form.Item name="geofenceM" label="签到范围" extra={noPosition ? '需要经纬度' : '不填则不限位置'}>
            <InputNumber
              min={50}
              max={50000}
              precision={0}
              step={50}
              style={{ width: '100%' }}
              placeholder="如 500"
              suffix="米"
              disabled={noPosition}
              data-testid="activity-geofence"
            />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

/** 活动介绍: the text and the pictures. */
export function ActivityIntroCard() {
  return (
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
  );
}
