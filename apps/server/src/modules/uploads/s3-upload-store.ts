import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { assertUploadId, type UploadStore } from './upload-store.ts';

export interface S3UploadStoreOptions {
  bucket: string;
  /** The S3 API address of an S3-compatible store (MinIO, Ceph, OSS, COS, …); unset: AWS S3. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bucket in the path (http://host/bucket/key) instead of the host name (http://bucket.host/key). */
  forcePathStyle: boolean;
  /** Prepended to each object key: `<prefix><id>`. */
  prefix: string;
}

/**
 * Uploads kept in an S3-compatible bucket, one object per upload under `<prefix><id>`.
 * A PUT is atomic in S3 (a reader sees the whole object or none), which is what the disk store
 * gets from its rename. The SDK is loaded on first use, so disk deployments never load it.
 */
export function s3UploadStore(opts: S3UploadStoreOptions): UploadStore {
  const key = (id: string) => {
    assertUploadId(id);
    return `${opts.prefix}${id}`;
  };
  let sdk: Promise<{ client: S3Client; s3: typeof import('@aws-sdk/client-s3') }> | null = null;
  const connect = () =>
    (sdk ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: opts.region,
        endpoint: opts.endpoint,
        forcePathStyle: opts.forcePathStyle,
        credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
        // Checksums only where S3 requires them: the newer default (CRC32 trailers on every PUT)
        // is refused by several S3-compatible servers. The SigV4 signature still covers the payload hash.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // An unreachable store fails the request within seconds instead of leaving it hanging.
        requestHandler: { connectionTimeout: 5_000, socketTimeout: 30_000 },
        maxAttempts: 3,
      }),
    })));

  return {
    async put(id, bytes, contentType) {
      const { client, s3 } = await connect();
      await client.send(new s3.PutObjectCommand({ Bucket: opts.bucket, Key: key(id), Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
    },
    async open(id) {
      const { client, s3 } = await connect();
      try {
        const res = await client.send(new s3.GetObjectCommand({ Bucket: opts.bucket, Key: key(id) }));
        if (!(res.Body instanceof Readable)) throw new Error(`S3 GetObject gave no stream for ${key(id)}`);
        return res.Body;
      } catch (e) {
        // Only a missing object is "no such upload"; a missing bucket or refused credentials are a store failure.
        if (e instanceof s3.NoSuchKey || (e as Error).name === 'NoSuchKey') return null;
        throw e;
      }
    },
    async remove(id) {
      const { client, s3 } = await connect();
      await client.send(new s3.DeleteObjectCommand({ Bucket: opts.bucket, Key: key(id) }));
    },
    async close() {
      if (!sdk) return;
      const { client } = await sdk;
      client.destroy();
    },
  };
}
