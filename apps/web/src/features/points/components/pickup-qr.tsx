import { useMemo } from 'react';
import QRCode from 'qrcode';

/**
 * The pick-up code as a QR code, drawn in the browser as SVG (nothing fetched). It holds just the
 * 8 digits, so a scanner at the counter types them into 核销取货.
 */
export function PickupQr({ code, size = 180 }: { code: string; size?: number | string }) {
  const { path, dim } = useMemo(() => {
    const m = QRCode.create(code, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { path: d, dim: m.size + 8 };
  }, [code]);
  return (
    <svg
      width={size}
      height={size}
      viewBox={`0 0 ${dim} ${dim}`}
      role="img"
      aria-label={`取货码 ${code} 的二维码`}
      shapeRendering="crispEdges"
      data-testid="pickup-qr"
      data-code={code}
      style={{ display: 'block' }}
    >
      <rect width={dim} height={dim} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** 1234 5678: the code in two groups, easier to read out at the counter. */
export const spacedCode = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;
