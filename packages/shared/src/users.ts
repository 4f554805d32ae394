import { z } from 'zod';
import { IdSchema, pageOf, PageQuerySchema, RowVersionSchema } from './common';
import { RoleSchema } from './enums';
import { UsernameSchema } from './auth';

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  unitId: IdSchema.nullable(),
  unitName: z.string().nullable(),
  /** The jurisdiction the account works in. */
  jurisdictionId: IdSchema.nullable(),
  jurisdictionName: z.string().nullable(),
  isActive: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  notifyChannels: z.array(z.enum(['email', 'webhook'])),
  version: RowVersionSchema,
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

/** Channels a user may choose besides in-app notifications (always on). */
export const NOTIFY_CHANNELS = ['email', 'webhook'] as const;
export const NotifyChannelSchema = z.enum(NOTIFY_CHANNELS);
export type NotifyChannel = z.infer<typeof NotifyChannelSchema>;
export const NOTIFY_CHANNEL_LABELS: Record<NotifyChannel, string> = {
  email: '电子邮件',
  webhook: '工作群机器人（企业微信/钉钉，按手机号 @ 本人）',
};

const PhoneSchema = z
  .string()
  .trim()
  .regex(/^(\+?\d[\d -]{4,19})$/, '请输入正确的手机或电话号码')
  .nullable();
const EmailSchema = z.string().trim().max(254).email('请输入正确的电子邮箱').nullable();

/** A user's own contact details and notification channels (the account page). */
export const ContactSchema = z.object({
  phone: z.string().nullable(),
  email: z.string().nullable(),
  notifyChannels: z.array(NotifyChannelSchema),
  /** Channels the server has configured (SMTP_URL, NOTIFY_WEBHOOK_URL): the others send nothing. */
  configuredChannels: z.array(NotifyChannelSchema),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactUpdateSchema = z.object({
  phone: z.preprocess((v) => (v === '' ? null : v), PhoneSchema),
  email: z.preprocess((v) => (v === '' ? null : v), EmailSchema),
  notifyChannels: z.array(NotifyChannelSchema).max(2),
});
export type ContactUpdate = z.infer<typeof ContactUpdateSchema>;

const DisplayNameSchema = z.string().trim().min(1, '请输入姓名').max(64);

/** A reporter is bound to exactly one unit; other roles to none. */
export const UserCreateSchema = z
  .object({
    username: UsernameSchema,
    displayName: DisplayNameSchema,
    role: RoleSchema,
    unitId: IdSchema.nullable().default(null),
    /** Default: the jurisdiction of the admin creating the account. */
    jurisdictionId: IdSchema.nullable().default(null),
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
  phone: z.preprocess((v) => (v === '' ? null : v), PhoneSchema).optional(),
  email: z.preprocess((v) => (v === '' ? null : v), EmailSchema).optional(),
  version: RowVersionSchema,
});
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

/** Answer to create / reset-password: the one-time password, shown once. */
export const OneTimePasswordSchema = z.object({ user: UserSchema, oneTimePassword: z.string() });
export type OneTimePassword = z.infer<typeof OneTimePasswordSchema>;

export const UserListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  role: RoleSchema.optional(),
  unitId: IdSchema.optional(),
  jurisdictionId: IdSchema.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;
export const UserPageSchema = pageOf(UserSchema);
