import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** What the parser functions write to the reports bucket: always SSE-KMS, with the data key when configured. */
export interface EncryptedObject {
  bucket: string;
  key: string;
  body: string;
  contentType: string;
  kmsKeyId?: string;
}

export async function putEncrypted(s3: S3Client, object: EncryptedObject): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      Body: object.body,
      ContentType: object.contentType,
      ServerSideEncryption: 'aws:kms',
      ...(object.kmsKeyId ? { SSEKMSKeyId: object.kmsKeyId } : {}),
    }),
  );
}
