import { useMemo } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code drawn as SVG in the browser (no network, crisp in print). One path of 1×1 squares on
 * a quiet zone of 4 modules, as the QR standard asks for.
 */
export function QrCode({ value, size = 120, title }: { value: string; size?: number | string; title?: string }) {
  const { path, dim } = useMemo(() => {
    const m = QRCode.create(value, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { path: d, dim: m.size + 8 };
  }, [value]);
  return (
    <svg
      width={size}
      height={size}
      viewBox={`0 0 ${dim} ${dim}`}
      role="img"
      aria-label={title ?? '二维码'}
      shapeRendering="crispEdges"
      style={{ display: 'block' }}
    >
      {title && <title>{title}</title>}
      <rect width={dim} height={dim} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
