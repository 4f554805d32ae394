import { z } from 'zod';

/** Roles of docs/DOMAIN.md §2. The public is "not signed in" and has no role row. */
export const ROLES = ['admin', 'reporter', 'leader', 'analyst'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  reporter: '填报单位',
  leader: '领导',
  analyst: '分析员',
};

/** Kinds of responsible unit (组织机构类别). */
export const UNIT_KINDS = ['department', 'mass_org', 'media', 'county', 'zone', 'city'] as const;
export const UnitKindSchema = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKindSchema>;
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  department: '政府部门',
  mass_org: '群团组织',
  media: '媒体',
  county: '县(市)区',
  zone: '功能区',
  /** A city's government in a province's plan (the province's "counties" are its cities). */
  city: '设区市',
};
