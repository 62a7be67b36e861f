import { z } from 'zod';
import { LOCALES } from '../../lib/i18n';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address.' }));
export const password = z
  .string()
  .min(10, { message: 'Use at least 10 characters.' })
  .max(200, { message: 'Use at most 200 characters.' });
export const personName = z.string().trim().min(1, { message: 'Enter a name.' }).max(100);
export const locale = z.enum(LOCALES);
export const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, { message: 'Unknown time zone.' });

export const signupInput = z.object({
  workspaceName: z.string().trim().min(1, { message: 'Enter a company name.' }).max(100),
  name: personName,
  email,
  password,
  locale: locale.optional(),
  timezone: timezone.optional(),
});
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.object({
  email,
  password: z.string().min(1, { message: 'Enter your password.' }).max(200),
  totp: z.string().regex(/^\d{6}$/, { message: 'Enter the 6-digit code.' }).optional(),
});
export type LoginInput = z.infer<typeof loginInput>;

export const forgotPasswordInput = z.object({ email });
export const resetPasswordInput = z.object({ token: z.string().min(10).max(2000), password });
export const acceptInvitationInput = z.object({ token: z.string().min(10).max(200), name: personName, password });
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;

export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(200), newPassword: password });
export const updateProfileInput = z
  .object({ name: personName, locale: locale.nullable(), timezone: timezone.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;

export const totpConfirmInput = z.object({
  secret: z.string().regex(/^[A-Z2-7]{16,64}$/, { message: 'Not a TOTP secret.' }),
  code: z.string().regex(/^\d{6}$/, { message: 'Enter the 6-digit code.' }),
});
export const totpDisableInput = z.object({ password: z.string().min(1).max(200) });
