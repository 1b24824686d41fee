import { QrCode } from '../../../components/qr-code';

/** The pick-up code as a QR code. It holds just the 8 digits, so a scanner at the counter types them into 核销取货. */
export function PickupQr({ code, size = 180 }: { code: string; size?: number | string }) {
  return <QrCode value={code} size={size} label={`取货码 ${code} 的二维码`} titled={false} testId="pickup-qr" data={{ 'data-code': code }} />;
}

/** 1234 5678: the code in two groups, easier to read out at the counter. */
export const spacedCode = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;
