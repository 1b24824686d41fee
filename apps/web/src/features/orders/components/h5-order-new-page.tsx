import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Tag } from 'antd';
import { CloseOutlined, EnvironmentOutlined, SendOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ZSubmitOrderBody, type MeDto } from '@wenming/contracts';
import { CommunityPicker } from '../../../components/community-picker';
import { PhotoUpload } from '../../../components/photo-upload';
import { useCategories } from '../../../lib/categories';
import { applyApiError, clearErrorsOnChange, validateForm } from '../../../lib/form-errors';
import { localInputToIso } from '../../../lib/format';
import { useMyCommunity } from '../../../lib/my-community';
import { placePath } from '../../../lib/site-names';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { uuid } from '../../../lib/uuid';
import { useServiceMenu, useSubmitOrder } from '../api/orders-api';
import './orders.css';

interface Values {
  content?: string;
  address?: string;
  preferredAt?: string;
}

const NO_COMMUNITY = '请先选择您所在的社区';

const FIELDS = ['content', 'address', 'preferredAt', 'orgId', 'category', 'serviceItemId', 'photoIds'] as const;

/** 我要点单: say what you need in your own words; the center reads it and sends someone. */
export function H5OrderNewPage({ me }: { me: MeDto }) {
  useDocumentTitle('我要点单');
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const { community, setCommunity } = useMyCommunity(me.id);
  const [picking, setPicking] = useState(false);
  const [category, setCategory] = useState<string | undefined>(params.get('category') ?? undefined);
  const [itemId, setItemId] = useState<string | undefined>(params.get('item') ?? undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const [communityError, setCommunityError] = useState(false);
  // One key per form: a double tap or a retry after a lost answer creates one order.
  const [key, setKey] = useState(uuid);
  const [photos, setPhotos] = useState<string[]>([]);
  const categories = useCategories();
  const menu = useServiceMenu(community?.id);
  const item = useMemo(() => menu.data?.find((i) => i.id === itemId), [menu.data, itemId]);
  const submit = useSubmitOrder();

  const send = async () => {
    setFormError(null);
    if (!community) {
      setCommunityError(true);
      setFormError(NO_COMMUNITY);
      return;
    }
    const v = form.getFieldsValue();
    const body = validateForm(form, ZSubmitOrderBody, {
      content: v.content ?? '',
      orgId: community.id,
      category,
      address: v.address?.trim() || undefined,
      preferredAt: localInputToIso(v.preferredAt),
      serviceItemId: item ? item.id : undefined,
      title: item ? item.name : undefined,
      photoIds: photos.length ? photos : undefined,
    });
    if (!body) return;
    try {
      const o = await submit.mutateAsync({ body, key });
      setKey(uuid());
      message.success(`提交成功，工单号 ${o.code}`);
      navigate(`/h5/orders/${o.id}?new=1`, { replace: true });
    } catch (e) {
      setFormError(applyApiError(form, e, FIELDS));
    }
  };

  return (
    <div className="h5-page h5-order-new">
      <section className="h5-card">
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          onValuesChange={clearErrorsOnChange(form)}
          onFinish={() => void send()}
          initialValues={{ address: community?.address ?? '' }}
          name="order-new"
          requiredMark={false}
        >
          {item && (
            <div className="h5-order-item" data-testid="order-item">
              <span>
                服务项目：<b>{item.name}</b>
              </span>
              <Button type="text" size="small" icon={<CloseOutlined />} aria-label="不选这个服务项目" onClick={() => setItemId(undefined)} />
            </div>
          )}
          <Form.Item name="content" label={<span className="h5-order-label">说说您需要什么帮助</span>}>
            <Input.TextArea
              autoSize={{ minRows: 5, maxRows: 10 }}
              maxLength={2000}
              showCount
              placeholder="例如：家里老人行动不便，想请志愿者每周帮忙买菜、陪同去医院复查。"
              className="h5-order-textarea"
              data-testid="order-content"
            />
          </Form.Item>
          <Form.Item label="服务类别（可不选，我们会帮您判断）">
            <div className="h5-chips" data-testid="order-categories">
              {(categories.data ?? []).map((c) => (
                <Tag.CheckableTag key={c.code} checked={category === c.code} onChange={(on) => setCategory(on ? c.code : undefined)} className="h5-chip">
                  {c.name}
                </Tag.CheckableTag>
              ))}
            </div>
          </Form.Item>
          <Form.Item label="所在社区" required validateStatus={communityError && !community ? 'error' : undefined}>
            {community ? (
              <button type="button" className="h5-site-pick" onClick={() => setPicking(true)} data-testid="order-community">
                <EnvironmentOutlined />
                <span className="h5-site-pick-text">
                  <b>{community.name}</b>
                  <small>{placePath(community.pathNames)}</small>
                </span>
                <span className="h5-site-pick-change">更换</span>
              </button>
            ) : (
              <Button
                block
                size="large"
                icon={<EnvironmentOutlined />}
                onClick={() => setPicking(true)}
                danger={communityError}
                data-testid="order-pick-community"
              >
                选择我的社区
              </Button>
            )}
          </Form.Item>
          <Form.Item name="address" label="服务地址">
            <Input size="large" maxLength={200} placeholder="小区、楼号、单元、门牌号" autoComplete="street-address" />
          </Form.Item>
          <Form.Item name="preferredAt" label="希望服务时间（可不填）">
            <Input size="large" type="datetime-local" data-testid="order-preferred" />
          </Form.Item>
          <Form.Item name="photoIds" label="现场照片（可不传，最多 6 张，可直接拍照）">
            <div data-testid="order-photos">
              <PhotoUpload value={photos} onChange={setPhotos} max={6} />
            </div>
          </Form.Item>
          <Button
            type="primary"
            size="large"
            block
            htmlType="submit"
            icon={<SendOutlined />}
            loading={submit.isPending}
            className="h5-big-button"
            data-testid="order-submit"
          >
            提交
          </Button>
        </Form>
      </section>
      <p className="h5-footnote">提交后实践中心会尽快派志愿者联系您。紧急情况请直接拨打 110、120。</p>
      <CommunityPicker
        open={picking}
        onClose={() => setPicking(false)}
        currentId={community?.id}
        onPick={(org) => {
          setCommunity(org);
          setCommunityError(false);
          setFormError((e) => (e === NO_COMMUNITY ? null : e));
          setItemId(undefined);
          if (!form.getFieldValue('address')) form.setFieldsValue({ address: org.address ?? '' });
          setPicking(false);
        }}
      />
    </div>
  );
}
