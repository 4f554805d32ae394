import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

const TOO_LARGE_CODES = new Set(['FST_REQ_FILE_TOO_LARGE', 'FST_PARTS_LIMIT', 'FST_FILES_LIMIT']);

/**
 * Read the one file of a multipart request (field `file`) into memory, within the limits the route's multipart
 * scope was registered with. Multipart failures become public errors: over the limit → PAYLOAD_TOO_LARGE (413),
 * not multipart → UNSUPPORTED_MEDIA_TYPE (415), no file → BAD_REQUEST.
 */
export async function readUploadedFile(
  req: FastifyRequest,
  opts: { maxBytes: number; missingMessage?: string; tooLargeMessage?: string },
): Promise<{ buffer: Buffer; fileName: string }> {
  try {
    const part = await req.file();
    if (!part) throw new AppError('BAD_REQUEST', opts.missingMessage ?? '请选择要上传的文件');
    return { buffer: await part.toBuffer(), fileName: part.filename || '' };
  } catch (err) {
    throw multipartFailure(err, opts.maxBytes, opts.tooLargeMessage);
  }
}

/**
 * The public error for what a multipart read threw: over the limit → PAYLOAD_TOO_LARGE (413), not multipart →
 * UNSUPPORTED_MEDIA_TYPE (415), an AppError as it is, anything else (no boundary, a body cut short, a broken part
 * header) → BAD_REQUEST (400). Never a 500: these are all the client's bytes.
 */
export function multipartFailure(err: unknown, maxBytes: number, tooLargeMessage?: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TOO_LARGE_CODES.has(code)) {
    return new AppError(
      'PAYLOAD_TOO_LARGE',
      tooLargeMessage ?? `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 上限`,
      {
        limitBytes: maxBytes,
      },
    );
  }
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
  }
  return new AppError('BAD_REQUEST', '上传的数据不完整或格式有误，请重新选择文件上传');
}
