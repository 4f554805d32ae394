import { ChangePasswordBodySchema, UnitCreateSchema, UserCreateSchema } from '@kesu/shared';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { applyServerFieldErrors, issuesToFieldErrors, validateWith } from './form-errors';

describe('issuesToFieldErrors', () => {
  it('puts each zod issue on its field and nested paths on the top-level field', () => {
    const r = UnitCreateSchema.safeParse({
      kind: 'department',
      name: '',
      shortName: 'x',
      aliases: ['ok', ' '],
    });
    expect(r.success).toBe(false);
    const mapped = issuesToFieldErrors(r.success ? [] : r.error.issues);
    expect(mapped.fields).toEqual([
      { name: 'name', errors: ['不能为空'] },
      { name: 'aliases', errors: ['不能为空'] },
    ]);
    expect(mapped.formErrors).toEqual([]);
  });

  it('keeps every distinct message of a field, once', () => {
    const mapped = issuesToFieldErrors([
      { path: ['newPassword'], message: 'a' },
      { path: ['newPassword'], message: 'b' },
      { path: ['newPassword'], message: 'a' },
    ]);
    expect(mapped.fields).toEqual([{ name: 'newPassword', errors: ['a', 'b'] }]);
  });

  it('sends pathless issues to formErrors and accepts dotted string paths from the server', () => {
    const mapped = issuesToFieldErrors([
      { path: [], message: '整体错误' },
      { path: 'aliases.1', message: '重复' },
      { nonsense: true },
    ]);
    expect(mapped.formErrors).toEqual(['整体错误']);
    expect(mapped.fields).toEqual([{ name: 'aliases', errors: ['重复'] }]);
  });
});

describe('validateWith', () => {
  it('sets the shared refine message on unitId when a reporter has no unit', () => {
    const form = { setFields: vi.fn() };
    const v = validateWith(
      UserCreateSchema,
      { username: 'zhang', displayName: '张三', role: 'reporter' },
      form,
    );
    expect(v.ok).toBe(false);
    expect(form.setFields).toHaveBeenCalledWith([
      { name: 'unitId', errors: ['填报单位用户必须且只能绑定一个单位；其他角色不绑定单位'] },
    ]);
  });

  it('returns parsed data and clears old errors on success', () => {
    const form = { setFields: vi.fn() };
    const v = validateWith(
      ChangePasswordBodySchema,
      { currentPassword: 'old', newPassword: 'abcdefgh12' },
      form,
    );
    expect(v).toEqual({ ok: true, data: { currentPassword: 'old', newPassword: 'abcdefgh12' } });
    expect(form.setFields).toHaveBeenCalledWith([
      { name: 'currentPassword', errors: [] },
      { name: 'newPassword', errors: [] },
    ]);
  });

  it('reports a weak new password with the shared NewPasswordSchema message', () => {
    const form = { setFields: vi.fn() };
    const v = validateWith(
      ChangePasswordBodySchema,
      { currentPassword: 'old', newPassword: 'onlyletters' },
      form,
    );
    expect(v.ok).toBe(false);
    expect(form.setFields).toHaveBeenCalledWith([
      { name: 'newPassword', errors: ['密码须同时包含字母和数字'] },
    ]);
  });
});

describe('applyServerFieldErrors', () => {
  it('maps VALIDATION_FAILED details onto fields', () => {
    const form = { setFields: vi.fn() };
    const e = new ApiError(400, 'VALIDATION_FAILED', '提交的数据不符合要求', [
      { path: ['regionCode'], message: '行政区划代码应为 6 位数字' },
    ]);
    expect(applyServerFieldErrors(e, form)).toBe(true);
    expect(form.setFields).toHaveBeenCalledWith([
      { name: 'regionCode', errors: ['行政区划代码应为 6 位数字'] },
    ]);
  });

  it('leaves other errors to the caller', () => {
    const form = { setFields: vi.fn() };
    expect(applyServerFieldErrors(new ApiError(409, 'CONFLICT', 'x'), form)).toBe(false);
    expect(applyServerFieldErrors(new ApiError(400, 'VALIDATION_FAILED', 'x', { other: 1 }), form)).toBe(
      false,
    );
    expect(form.setFields).not.toHaveBeenCalled();
  });
});
