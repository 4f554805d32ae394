import { z } from 'zod';
import { IdSchema } from './common';
import { RoleSchema } from './enums';
import { LIMITS } from './limits';

export const UsernameSchema = z
  .string()
  .trim()
  .min(2, '用户名至少 2 个字符')
  .max(64, '用户名最多 64 个字符')
  .regex(/^[A-Za-z0-9_.@-]+$/, '用户名只能包含字母、数字和 _ . @ -');

/** New passwords: long enough, not trivially uniform. */
export const NewPasswordSchema = z
  .string()
  .min(LIMITS.passwordMin, `密码至少 ${LIMITS.passwordMin} 个字符`)
  .max(LIMITS.passwordMax, `密码最多 ${LIMITS.passwordMax} 个字符`)
  .refine((p) => /[A-Za-z]/.test(p) && /[0-9]/.test(p), '密码须同时包含字母和数字');

export const LoginBodySchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(LIMITS.passwordMax),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(LIMITS.passwordMax),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

/** The signed-in user as the web sees it. */
export const MeSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  unitId: IdSchema.nullable(),
  unitName: z.string().nullable(),
  /** The jurisdiction the account works in (a county admin's county; the city for the city's staff). */
  jurisdictionId: IdSchema.nullable(),
  jurisdictionName: z.string().nullable(),
  /** Works at the root jurisdiction (the city office); a county's staff see only what is scoped to the county. */
  atRoot: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof MeSchema>;

export const SessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  isCurrent: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;
