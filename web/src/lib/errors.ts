import { ApiError, type FieldError } from './api';
import { t, type MessageKey } from './i18n';

const CODE_MESSAGES: Partial<Record<string, MessageKey>> = {
  network: 'error.network',
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  not_found: 'error.notFound',
  version_mismatch: 'error.versionMismatch',
  validation_failed: 'error.validation',
  email_taken: 'error.emailTaken',
  rate_limited: 'error.rateLimited',
  totp_required: 'auth.totpRequired',
  invitation_not_found: 'error.invitationInvalid',
  invalid_token: 'error.resetLinkInvalid',
  last_owner: 'error.lastOwner',
  team_name_taken: 'error.teamNameTaken',
  already_accepted: 'error.alreadyAccepted',
  internal_error: 'error.internal',
};

/** A sentence for the top of a form or an error state, in the UI language. */
export function messageFor(err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  if (err.code === 'rate_limited' && err.retryAfter) return t('error.rateLimitedFor', { minutes: Math.max(1, Math.ceil(err.retryAfter / 60)) });
  const key = CODE_MESSAGES[err.code];
  if (key) return t(key);
  if (err.status === 403) return t('error.forbidden');
  if (err.status >= 500) return t('error.internal');
  return err.detail || t('error.unexpected');
}

function translateField(fe: FieldError): string {
  const name = fe.field.split('.').pop() ?? fe.field;
  switch (fe.code) {
    case 'taken':
      return t(name === 'name' ? 'error.nameTaken' : 'error.emailTaken');
    case 'incorrect':
      return name === 'code' || name === 'totp' ? t('error.codeIncorrect') : t('error.passwordIncorrect');
    case 'not_found':
      return t('error.fieldNotFound');
    case 'too_small':
      if (/password/i.test(name)) return t('error.passwordTooShort');
      if (name === 'scopes') return t('error.scopesRequired');
      return t('error.required');
    case 'too_big':
      return t('error.tooLong');
    case 'invalid_format':
    case 'invalid_string':
    case 'custom':
    case 'invalid':
      if (name === 'email') return t('error.email');
      if (name === 'timezone') return t('error.timezone');
      if (name === 'currency') return t('error.currency');
      if (name === 'defaultCountry') return t('error.country');
      if (name === 'accentColor') return t('error.color');
      if (name === 'code' || name === 'totp') return t('error.code6');
      if (name === 'expiresAt') return t('error.futureDate');
      return t('error.invalid');
    default:
      return t('error.invalid');
  }
}

/** The inline message for one named field, from a problem+json `errors` list. */
export function fieldMessage(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const fe = err.fieldError(field);
  return fe ? translateField(fe) : undefined;
}
