import { msg } from './i18n.ts';
import { z } from 'zod';
import { ZId, ZListQuery, ZName, ZPassword, ZPhone } from './common.ts';

export const ZRegisterBody = z.object({ phone: ZPhone, password: ZPassword, name: ZName });
export type TRegisterBody = z.infer<typeof ZRegisterBody>;

export const ZLoginBody = z.object({
  phone: z
    .string()
    .trim()
    .min(1, { message: msg('请输入手机号', 'Enter the mobile number') })
    .max(20),
  password: z
    .string()
    .min(1, { message: msg('请输入密码', 'Enter the password') })
    .max(128),
});
export type TLoginBody = z.infer<typeof ZLoginBody>;

/** 激活码: staff give it to a volunteer who has no password (imported) or forgot it. */
export const ACTIVATION_CODE_HOURS = 72;
export const ZActivateBody = z.object({
  phone: ZPhone,
  code: z
    .string()
    .trim()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{8}$/, { message: msg('激活码是8位数字', 'The activation code has 8 digits') })),
  password: ZPassword,
});
export type TActivateBody = z.infer<typeof ZActivateBody>;

/** 修改密码 (signed in): the current password, unless the account has none yet (imported volunteers). */
export const ZChangePasswordBody = z.object({
  oldPassword: z
    .string()
    .max(200, { message: msg('原密码最多200位', 'The current password may have at most 200 characters') })
    .optional(),
  newPassword: ZPassword,
});
export type TChangePasswordBody = z.infer<typeof ZChangePasswordBody>;
/** Sign-in by SMS code (docs/channels.md): 6 digits, valid 5 minutes, once, at most 5 tries. */
export const SMS_CODE_MINUTES = 5;
export const SMS_CODE_MAX_TRIES = 5;
export const SMS_RESEND_SECONDS = 60;
export const SMS_SENDS_PER_DAY = 10;
const ZSmsCode = z
  .string()
  .trim()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { message: msg('验证码是6位数字', 'The code has 6 digits') }));

export const ZSmsCodeBody = z.object({ phone: ZPhone, purpose: z.enum(['login', 'reset']).default('login') });
export type TSmsCodeBody = z.infer<typeof ZSmsCodeBody>;
/** 202: the code is on its way (the same answer whether or not the phone has an account). */
export interface SmsCodeSentDto {
  /** Seconds before another code may be asked for this phone. */
  resendAfter: number;
  /** Seconds the code stays valid. */
  expiresIn: number;
}

export const ZSmsLoginBody = z.object({
  phone: ZPhone,
  code: ZSmsCode,
  /** The name of a new account (default 居民 and the phone's last four digits). */
  name: ZName.optional(),
  /** Accepts 用户协议 and 隐私政策: required when the phone has no account yet. */
  consent: z.boolean().optional(),
});
export type TSmsLoginBody = z.infer<typeof ZSmsLoginBody>;

export const ZPasswordResetBody = z.object({ phone: ZPhone, code: ZSmsCode, newPassword: ZPassword });
export type TPasswordResetBody = z.infer<typeof ZPasswordResetBody>;

export interface ActivationCodeDto {
  code: string;
  expiresAt: string;
}

export const ROLES = ['admin', 'org_admin', 'dispatcher', 'dept_officer'] as const;
export type Role = (typeof ROLES)[number];
export const GRANTABLE_ROLES = ['org_admin', 'dispatcher', 'dept_officer'] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: '超级管理员',
  org_admin: '阵地管理员',
  dispatcher: '调度员',
  dept_officer: '职能部门专员',
};

export interface RoleDto {
  id?: string;
  role: Role;
  orgId?: string;
  orgName?: string;
  departmentId?: string;
  departmentName?: string;
}

export interface MeDto {
  id: string;
  name: string;
  phone: string;
  roles: RoleDto[];
  volunteerId?: string;
  /** Teams this user leads (队长): they organise the teams' activities and check their members' hours. */
  ledTeams: LedTeamDto[];
  /** The person's community (a station), chosen in the H5; null until chosen. */
  homeOrgId?: string | null;
  homeOrgName?: string | null;
  address?: string | null;
  /** 长辈模式 (larger type and targets, higher contrast), kept with the account (issue 19). */
  elderMode?: boolean;
}

/** PATCH /me: the person's own name, community, address and 长辈模式 (each optional; null clears the community or address). */
export const ZUpdateMeBody = z.object({
  name: ZName.optional(),
  homeOrgId: ZId.nullable().optional(),
  address: z
    .string()
    .trim()
    .max(200, { message: msg('地址最多200个字', 'At most 200 characters') })
    .nullable()
    .optional(),
  elderMode: z.boolean().optional(),
});
export type TUpdateMeBody = z.infer<typeof ZUpdateMeBody>;

export interface LedTeamDto {
  id: string;
  name: string;
  orgId: string;
  orgName: string;
}

export interface AuthResponse {
  user: MeDto;
  token: string;
}

/** POST /auth/sms-login: `created` when this sign-in made the account. */
export interface SmsLoginResponse extends AuthResponse {
  created: boolean;
}

export const ZCreateUserBody = z.object({ phone: ZPhone, name: ZName, password: ZPassword });
export type TCreateUserBody = z.infer<typeof ZCreateUserBody>;

export const ZGrantRoleBody = z
  .object({
    role: z.enum(GRANTABLE_ROLES),
    orgId: ZId.optional(),
    departmentId: ZId.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.role === 'org_admin' || v.role === 'dispatcher') && !v.orgId)
      ctx.addIssue({ code: 'custom', path: ['orgId'], message: msg('请选择阵地', 'Choose a site') });
    if (v.role === 'dept_officer' && !v.departmentId)
      ctx.addIssue({ code: 'custom', path: ['departmentId'], message: msg('请选择职能部门', 'Choose a department') });
  });
export type TGrantRoleBody = z.infer<typeof ZGrantRoleBody>;

export const ZListUsersQuery = ZListQuery.extend({ q: z.string().trim().max(50).optional() });

export interface UserDto {
  id: string;
  name: string;
  phone: string;
  status: 'active' | 'disabled';
  createdAt: string;
  roles: RoleDto[];
}
