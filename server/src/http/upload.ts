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
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && TOO_LARGE_CODES.has(code)) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        opts.tooLargeMessage ?? `文件超过 ${Math.round(opts.maxBytes / 1024 / 1024)} MB 上限`,
        { limitBytes: opts.maxBytes },
      );
    }
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
    }
    throw err;
  }
}
