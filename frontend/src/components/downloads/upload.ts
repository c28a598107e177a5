import { ApiError, api, call } from '../../api/client';
import { formatBytes } from '../../lib/format';

/** S3 and MinIO answer a refused form with an XML `<Error><Code>…</Code><Message>…</Message></Error>`. */
function bucketError(status: number, text: string): ApiError {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const tooLarge = code === 'EntityTooLarge';
  return new ApiError(
    status,
    tooLarge ? 'torrent_too_large' : 'upload_failed',
    tooLarge ? 'The .torrent file is larger than the server accepts.' : `The upload failed${message ? `: ${message}` : '.'}`,
    {},
    text,
  );
}

/**
 * Uploads a .torrent straight to the bucket, the way big files travel (never through the API):
 * a presigned form from `POST /downloads/uploads`, then a form POST of its fields and the file last.
 * Returns the upload id to submit as `torrentUploadId`.
 */
export async function uploadTorrent(file: File): Promise<string> {
  const form = await call(api.POST('/api/v1/downloads/uploads'));
  if (file.size > form.maxBytes) {
    throw new ApiError(413, 'torrent_too_large', `A .torrent file may be at most ${formatBytes(form.maxBytes)}.`);
  }
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(form.url, { method: 'POST', body });
  } catch {
    throw new ApiError(0, 'upload_failed', 'The file storage could not be reached. Check your connection and try again.');
  }
  if (!response.ok) throw bucketError(response.status, await response.text());
  return form.uploadId;
}
