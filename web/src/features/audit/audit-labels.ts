/** Chinese names for audit vocabulary; unknown codes are shown as they are. */
export const ENTITY_LABELS: Record<string, string> = {
  unit: '单位',
  user: '用户',
  session: '会话',
  auth: '登录',
};

const VERB_LABELS: Record<string, string> = {
  create: '新增',
  update: '修改',
  deactivate: '停用',
  reactivate: '启用',
  activate: '启用',
  merge: '合并',
  delete: '删除',
  login: '登录',
  logout: '退出',
  login_failed: '登录失败',
  password_change: '修改密码',
  password_reset: '重置密码',
  reset_password: '重置密码',
  revoke_sessions: '注销会话',
  sessions_revoke: '注销会话',
  lock: '锁定',
};

export const FIELD_LABELS: Record<string, string> = {
  name: '全称',
  shortName: '简称',
  kind: '类别',
  aliases: '别名',
  regionCode: '行政区划代码',
  sortOrder: '排序',
  isActive: '启用',
  version: '版本',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  unitId: '单位编号',
  unitName: '单位',
  mustChangePassword: '须修改密码',
  lockedUntil: '锁定至',
  mergedInto: '合并到',
  sourceId: '被合并单位',
};

/** `unit.create` → `单位·新增`; unknown parts stay as written. */
export function actionLabel(action: string): string | null {
  const [entity, verb] = action.split('.', 2);
  const e = entity ? ENTITY_LABELS[entity] : undefined;
  const v = verb ? VERB_LABELS[verb] : undefined;
  if (!e && !v) return null;
  return `${e ?? entity}·${v ?? verb ?? ''}`;
}
