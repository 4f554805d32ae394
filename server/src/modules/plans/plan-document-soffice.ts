import { AppError } from '../../errors';
import { convertWithSoffice } from '../../files/soffice';

/**
 * Legacy Word (.doc) and WPS (.wps) → .docx through LibreOffice (`files/soffice.ts`: its own folder and profile, one
 * at a time, killed after a time limit). Without LibreOffice the upload is answered with PLAN_CONVERTER_MISSING,
 * which names what to install.
 */

export { SOFFICE } from '../../files/soffice';

/** .doc/.wps → .docx bytes. */
export async function legacyWordToDocx(buf: Uint8Array, ext: 'doc' | 'wps'): Promise<Buffer> {
  const r = await convertWithSoffice(buf, ext, 'docx:MS Word 2007 XML', 'docx');
  if (r.kind === 'ok') return r.bytes;
  if (r.kind === 'missing') throw new AppError('PLAN_CONVERTER_MISSING', undefined, { detected: ext });
  if (r.kind === 'timeout') {
    throw new AppError('PAYLOAD_TOO_LARGE', '文件转换超时（超出时间上限），已拒绝；请另存为 .docx 后再上传', {
      reason: 'timeout',
    });
  }
  throw new AppError(
    'PLAN_FILE_UNSUPPORTED',
    `无法读取该${ext === 'wps' ? ' WPS' : '旧版 Word（.doc）'}文件，可能已损坏；请用 WPS 或 Word 另存为 .docx 后再上传`,
    { detected: ext, exitCode: r.exitCode },
  );
}
