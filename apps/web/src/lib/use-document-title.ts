import { useEffect } from 'react';
import { PRODUCT_NAME } from '../components/brand';

/** 阵地管理 - 文明实践云 */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
