import { useMemo } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code drawn in the browser as SVG (nothing fetched, crisp in print): one path of 1×1
 * modules inside the 4-module quiet zone the standard asks for. `size` may be any CSS length.
 * `label` names it for screen readers (and as its tooltip when `titled`); `data` adds data-*
 * attributes (what the code holds, for tests and scanners' pages).
 */
export function QrCode({
  value,
  size = 200,
  label,
  titled = true,
  testId,
  data,
}: {
  value: string;
  size?: number | string;
  label: string;
  titled?: boolean;
  testId?: string;
  data?: Record<`data-${string}`, string>;
}) {
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
      aria-label={label}
      shapeRendering="crispEdges"
      style={{ display: 'block' }}
      data-testid={testId}
      {...data}
    >
      {titled && <title>{label}</title>}
      <rect width={dim} height={dim} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
