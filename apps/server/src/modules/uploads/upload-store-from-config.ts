import path from 'node:path';
import type { Config } from '../../config.ts';
import { s3UploadStore } from './s3-upload-store.ts';
import { diskUploadStore, type UploadStore } from './upload-store.ts';

/** The store the configuration asks for: the S3 bucket when UPLOAD_S3_BUCKET is set, else DATA_DIR/uploads. */
export function uploadStoreFromConfig(config: Config): UploadStore {
  if (config.UPLOAD_S3_BUCKET) {
    // loadConfig refuses a bucket without both keys; testConfig() callers must give them too.
    if (!config.UPLOAD_S3_ACCESS_KEY_ID || !config.UPLOAD_S3_SECRET_ACCESS_KEY)
      throw new Error('UPLOAD_S3_BUCKET is set without UPLOAD_S3_ACCESS_KEY_ID and UPLOAD_S3_SECRET_ACCESS_KEY');
    return s3UploadStore({
      bucket: config.UPLOAD_S3_BUCKET,
      endpoint: config.UPLOAD_S3_ENDPOINT,
      region: config.UPLOAD_S3_REGION,
      accessKeyId: config.UPLOAD_S3_ACCESS_KEY_ID,
      secretAccessKey: config.UPLOAD_S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.UPLOAD_S3_FORCE_PATH_STYLE,
      prefix: config.UPLOAD_S3_PREFIX,
    });
  }
  return diskUploadStore(path.join(config.DATA_DIR, 'uploads'));
}
