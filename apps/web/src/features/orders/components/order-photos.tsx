import { Image } from 'antd';
import { ORDER_CHANNEL_NAMES } from '@wenming/contracts';
import type { OrderDto } from '../api/orders-api';

/** The pictures taken at 点单 (up to six), as thumbnails that open a preview. */
export function OrderPhotos({ order, size = 72 }: { order: Pick<OrderDto, 'photos'>; size?: number }) {
  const photos = order.photos ?? [];
  if (!photos.length) return null;
  return (
    <div className="order-photos" data-testid="order-photos-view">
      <Image.PreviewGroup>
        {photos.map((p, i) => (
          <Image key={p.id} src={p.url} width={size} height={size} style={{ objectFit: 'cover', borderRadius: 6 }} alt={`现场照片 ${i + 1}`} />
        ))}
      </Image.PreviewGroup>
    </div>
  );
}

/** 代点单: "电话代登记" and the like, or null for a resident's own order. */
export function channelLabel(o: Pick<OrderDto, 'channel' | 'assisted'>): string | null {
  if (!o.assisted || !o.channel || o.channel === 'app') return null;
  return `${ORDER_CHANNEL_NAMES[o.channel]}代登记`;
}
