/** The product mark: a gold star on red, and the name. */
export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" style={{ flex: 'none' }}>
      <rect width="64" height="64" rx="14" fill="#c8102e" />
      <path d="M32 10l5.6 12.4L51 24l-10 9.2L43.6 47 32 40.2 20.4 47 23 33.2 13 24l13.4-1.6z" fill="#ffd54f" />
    </svg>
  );
}

export const PRODUCT_NAME = '文明实践云';
