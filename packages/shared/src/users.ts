import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf } from './common';
import { RoleSchema } from './enums';
import { UsernameSchema } from './auth';

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  unitId: IdSchema.nullable(),
  unitName: z.string().nullable(),
  isActive: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

const DisplayNameSchema = z.string().trim().min(1, '请输入姓名').max(64);

/** A reporter is bound to exactly one unit; other roles to none. */
export const UserCreateSchema = z
  .object({
    username: UsernameSchema,
    displayName: DisplayNameSchema,
    role: RoleSchema,
    unitId: IdSchema.nullable().default(null),
  })
  .refine((u) => (u.role === 'reporter') === (u.unitId !== null), {
    message: '填报单位用户必须且只能绑定一个单位；其他角色不绑定单位',
    path: ['unitId'],
  });
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserUpdateSchema = z.object({
  displayName: DisplayNameSchema.optional(),
  role: RoleSchema.optional(),
  unitId: IdSchema.nullable().optional(),
  isActive: z.boolean().optional(),
  version: z.number().int(),
});
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

/** Answer to create / reset-password: the one-time password, shown once. */
export const OneTimePasswordSchema = z.object({ user: UserSchema, oneTimePassword: z.string() });
export type OneTimePassword = z.infer<typeof OneTimePasswordSchema>;

export const UserListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  role: RoleSchema.optional(),
  unitId: IdSchema.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;
export const UserPageSchema = pageOf(UserSchema);
