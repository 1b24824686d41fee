import { useState } from 'react';
import { App, Button, Input, Rate } from 'antd';
import { errorMessage } from '../../../lib/api-client';
import { useOrderAction, type OrderDto } from '../api/orders-api';

const WORDS = ['很不满意', '不满意', '一般', '满意', '非常满意'];

/** 评价本次服务: five large stars and a few words. */
export function H5RateForm({ order }: { order: OrderDto }) {
  const { message } = App.useApp();
  const act = useOrderAction(order.id);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!score) {
      setError('请点星星打分');
      return;
    }
    try {
      await act.mutateAsync({ action: 'rate', body: { score, comment: comment.trim() || undefined } });
      message.success('感谢您的评价！');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <section className="h5-card h5-rate" data-testid="rate-form">
      <div className="h5-card-head">
        <span className="h5-card-title">{order.state === 'resolved' ? '对办理结果满意吗？' : '为本次服务评价'}</span>
      </div>
      <div className="h5-rate-stars">
        <Rate
          value={score}
          onChange={(v) => {
            setScore(v);
            setError(null);
          }}
          className="h5-rate-control"
          aria-label="评分"
        />
        <div className={`h5-rate-word${error ? ' error' : ''}`}>{error ?? (score ? WORDS[score - 1] : '点星星打分')}</div>
      </div>
      <Input.TextArea
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={500}
        showCount
        autoSize={{ minRows: 2, maxRows: 5 }}
        placeholder="说说您的感受（可不填）"
        data-testid="rate-comment"
      />
      <Button
        type="primary"
        size="large"
        block
        onClick={() => void send()}
        loading={act.isPending}
        className="h5-big-button"
        style={{ marginTop: 32 }}
        data-testid="rate-submit"
      >
        提交评价
      </Button>
    </section>
  );
}

export function RatingStars({ score }: { score: number }) {
  return <Rate disabled value={score} className="h5-rate-readonly" />;
}
