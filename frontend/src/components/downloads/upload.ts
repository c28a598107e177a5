import { api, call } from '../../api/client';
import { postToBucket } from '../../api/bucketUpload';
import { formatBytes } from '../../lib/format';

/**
 * Uploads a .torrent straight to the bucket: a presigned form from `POST /downloads/uploads`, then the
 * file. Returns the upload id to submit as `torrentUploadId`.
 */
export async function uploadTorrent(file: File): Promise<string> {
  const form = await call(api.POST('/api/v1/downloads/uploads'));
  return postToBucket(form, file, {
    code: 'torrent_too_large',
    message: `A .torrent file may be at most ${formatBytes(form.maxBytes)}.`,
  });
}
