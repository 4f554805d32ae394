/**
 * The closed list of API error codes. Codes are public API: clients branch on them, so a code is never renamed.
 * Each has the Chinese message shown when the server gives none more specific. HTTP statuses live in the server
 * (server/src/errors.ts); docs/ERRORS.md lists both.
 */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: '提交的数据不符合要求',
  MALFORMED_JSON: '请求内容不是有效的 JSON',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  UNAUTHENTICATED: '请先登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  ACCOUNT_LOCKED: '登录失败次数过多，账号已暂时锁定，请稍后再试',
  TOO_MANY_ATTEMPTS: '尝试次数过多，请稍后再试',
  RATE_LIMITED: '请求过于频繁，请稍后再试',
  ACCOUNT_DISABLED: '账号已停用，请联系管理员',
  PASSWORD_CHANGE_REQUIRED: '首次登录须先修改密码',
  WEAK_PASSWORD: '新密码不符合要求',
  CSRF_REJECTED: '请求来源不受信任，已拒绝',
  FORBIDDEN: '没有权限执行此操作',
  NOT_FOUND: '请求的资源不存在',
  CONFLICT: '数据已被他人修改，请刷新后重试',
  DUPLICATE: '同名记录已存在',
  INVALID_STATE: '当前状态下不能执行此操作',
  BAD_REQUEST: '请求无效',
  PLAN_FILE_UNSUPPORTED:
    '不支持的文件：请上传 Word（.docx/.doc）、WPS、PDF、网页（.html/.mhtml）或文本（.txt，UTF-8 或 GBK 编码）格式的规划文档',
  PLAN_FILE_NEEDS_OCR:
    '该 PDF 没有可复制的文字（可能是扫描件或图片），请先用 OCR 文字识别软件转成文字版 PDF、Word 或文本后再上传',
  PLAN_FILE_ENCRYPTED: '该 PDF 设有打开密码，无法读取，请在 PDF 阅读器中输入密码后另存为无密码的 PDF 再上传',
  PLAN_CONVERTER_MISSING:
    '服务器未安装 LibreOffice，无法读取旧版 Word（.doc）或 WPS 文件：请管理员安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），或先将文件另存为 .docx 再上传',
  PLAN_FILE_EMPTY: '文档内容为空，请上传规划或实施方案的正文',
  PLAN_NOT_RECOGNISED: '未识别到编号标题（如“一、”“（一）”“1.”），该文档不像是规划或实施方案',
  PLAN_UNKNOWN_UNITS: '文档中有未能识别的责任单位，请先对应到已有单位或新建单位',
  CYCLE_CLOSED: '该填报周期已截止，不能再填报或修改',
  CYCLE_LOCKED: '该填报周期已锁定，任何内容都不能再修改',
  REPORT_LOCKED: '该报告已审核通过并锁定，不能再修改',
  EXPLANATION_REQUIRED: '有指标落后于序时进度或低于上次审核值，须填写说明',
  ATTACHMENT_REFUSED:
    '不接受该文件：佐证材料只能是 PDF、图片（PNG/JPEG/GIF/WebP）或 Office 文档，按文件内容判断',
  NOTICE_INVALID_TRANSITION: '督办单当前状态下不能执行此步骤',
  NOTICE_LINK_NOT_FOUND: '督办关联的对象不存在',
  TEMPLATE_INVALID: '不是本系统下载的填报模板，或模板的表头、隐藏编号已被改动，请重新下载模板',
  TEMPLATE_MISMATCH: '该模板不属于本单位或本填报周期，请下载本单位本周期的模板',
  ASSESSMENT_APPEAL_CLOSED: '不在申诉期内，不能提交申诉',
  ASSESSMENT_FROZEN: '该考核已定稿，结果不能再修改',
  ASSESSMENT_OPEN_APPEALS: '还有未答复的申诉，答复后才能定稿',
  DOCUMENT_TEMPLATE_PLACEHOLDER: '模板中有本类文档不支持的占位符，请只使用列出的占位符',
  DOCUMENT_PDF_UNAVAILABLE: '服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版本',
  INTERNAL: '服务器内部错误，请稍后重试',
} as const;

/** A public error code. */
export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Body of every error response: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
}

/** True when `value` looks like an API error body (used by the web client's one error parser). */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}
