import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Personal data at rest (PIPL): AES-256-GCM for resident ID numbers, and a keyed hash (HMAC) of
 * the normalised value for uniqueness and look-up. Both keys derive from one master key.
 */
export interface Pii {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  hash(plain: string): string;
}

export function createPii(masterKey: Buffer): Pii {
  if (masterKey.length !== 32) throw new Error('The data key must be 32 bytes');
  const encKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'wenming/pii/aes-256-gcm', 32));
  const macKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'wenming/pii/hmac', 32));
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${iv.toString('base64url')}.${data.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    decrypt(stored) {
      const [v, iv, data, tag] = stored.split('.');
      if (v !== 'v1' || !iv || !data || !tag) throw new Error('Unknown ciphertext format');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
    hash(plain) {
      return crypto.createHmac('sha256', macKey).update(plain.trim().toUpperCase()).digest('base64url');
    },
  };
}

/**
 * The master key: WENMING_DATA_KEY (base64, 32 bytes) when set; otherwise one generated once and
 * kept in DATA_DIR/data.key (fine for the embedded demo; set the variable on servers).
 */
export function loadDataKey(opts: { dataKey?: string; dataDir: string; log?: (m: string) => void }): Buffer {
  if (opts.dataKey) return Buffer.from(opts.dataKey, 'base64');
  const file = path.join(path.resolve(opts.dataDir), 'data.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  opts.log?.(`已生成数据加密密钥 ${file}（生产环境请设置 WENMING_DATA_KEY）`);
  return key;
}

/** A purpose-bound key derived from the master key (HKDF-SHA256). */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), `wenming/${purpose}`, 32));
}
