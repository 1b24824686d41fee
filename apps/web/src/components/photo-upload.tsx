import { useState } from 'react';
import { App, Image, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../lib/api-client';

export interface Uploaded {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

/** The URL of an uploaded picture. */
export const photoUrl = (id: string) => `/api/v1/uploads/${id}`;

/** Uploads one picture (POST /uploads, multipart field `file`). */
export function uploadPhoto(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<Uploaded>('/uploads', { method: 'POST', body: form });
}

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';
const MAX_MB = 5;

/**
 * Picture-card uploader for a list of upload ids (activity pictures, resource photos, reward
 * pictures…). The value is the ids in order; removing a card drops its id.
 */
export function PhotoUpload({ value = [], onChange, max = 6 }: { value?: string[]; onChange?: (ids: string[]) => void; max?: number }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<UploadFile[]>([]);
  const [preview, setPreview] = useState<string | null>(null);

  const done: UploadFile[] = value.map((id) => ({ uid: id, name: id, status: 'done', url: photoUrl(id) }));

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const f = file as File & { uid: string };
    setBusy((b) => [...b, { uid: f.uid, name: f.name, status: 'uploading' }]);
    try {
      const up = await uploadPhoto(f);
      onSuccess?.(up);
      onChange?.([...value, up.id]);
    } catch (e) {
      message.error(errorMessage(e));
      onError?.(e as Error);
    } finally {
      setBusy((b) => b.filter((x) => x.uid !== f.uid));
    }
  };

  return (
    <>
      <Upload
        listType="picture-card"
        accept={ACCEPT}
        fileList={[...done, ...busy]}
        customRequest={customRequest}
        beforeUpload={(file) => {
          if (!ACCEPT.split(',').includes(file.type)) {
            message.error('只能上传 JPG、PNG、WebP 或 GIF 图片');
            return Upload.LIST_IGNORE;
          }
          if (file.size > MAX_MB * 1024 * 1024) {
            message.error(`图片不能超过 ${MAX_MB} MB`);
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        onRemove={(f) => {
          onChange?.(value.filter((id) => id !== f.uid));
          return true;
        }}
        onPreview={(f) => setPreview(f.url ?? null)}
      >
        {value.length + busy.length < max && (
          <button type="button" style={{ border: 0, background: 'none', cursor: 'pointer' }}>
            <PlusOutlined />
            <div style={{ marginTop: 8 }}>上传图片</div>
          </button>
        )}
      </Upload>
      {preview && <Image style={{ display: 'none' }} src={preview} preview={{ open: true, onOpenChange: (open) => !open && setPreview(null) }} />}
    </>
  );
}
