import { ApiError } from './client';

/** A presigned POST form from the API (`POST /imports/uploads`, `POST /downloads/uploads`). */
export interface UploadForm {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
  maxBytes: number;
}

/** What to tell the user when the file is over the form's limit (checked here first, then by the bucket). */
export interface TooLarge {
  code: string;
  message: string;
}

/** S3 and MinIO answer a refused form with an XML `<Error><Code>…</Code><Message>…</Message></Error>`. */
function bucketError(status: number, text: string, tooLarge: TooLarge): ApiError {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  return code === 'EntityTooLarge'
    ? new ApiError(status, tooLarge.code, tooLarge.message, {}, text)
    : new ApiError(status, 'upload_failed', `The upload failed${message ? `: ${message}` : '.'}`, {}, text);
}

/**
 * Sends a file straight to the bucket, the way big files travel (never through the API): a form POST of
 * the presigned fields first and the file last, as S3 requires. Returns the form's upload id.
 */
export async function postToBucket(form: UploadForm, file: File, tooLarge: TooLarge): Promise<string> {
  if (file.size > form.maxBytes) throw new ApiError(413, tooLarge.code, tooLarge.message);
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(form.url, { method: 'POST', body });
  } catch {
    throw new ApiError(0, 'upload_failed', 'The file storage could not be reached. Check your connection and try again.');
  }
  if (!response.ok) throw bucketError(response.status, await response.text(), tooLarge);
  return form.uploadId;
}
