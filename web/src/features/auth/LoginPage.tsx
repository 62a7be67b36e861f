import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { FormError, InputField } from '../../components/Field';
import { ApiError } from '../../lib/api';
import { useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { setMe } from '../../lib/session';
import { login } from './api';
import { AuthLayout, linkClass } from './AuthLayout';

export function LoginPage() {
  const { query } = useLocation();
  const [needsCode, setNeedsCode] = useState(false);
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    try {
      const me = await login({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        ...(needsCode ? { totp: String(data.get('totp') ?? '').trim() } : {}),
      });
      setMe(me);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') {
        setNeedsCode(true);
        setTimeout(() => (form.elements.namedItem('totp') as HTMLInputElement | null)?.focus());
      }
      throw err;
    }
  });
  const failure = submit.error instanceof ApiError ? submit.error : null;
  // On this form a 401 means the credentials (or the code) were wrong, not that a session ended.
  const message =
    failure?.code === 'totp_required' && needsCode ? null : failure?.code === 'unauthorized' ? t(needsCode ? 'auth.badCredentialsOrCode' : 'auth.badCredentials') : submit.message;

  return (
    <AuthLayout
      title={t('auth.signInTitle')}
      subtitle={t('auth.signInSubtitle')}
      footer={
        <>
          {t('auth.noAccount')}{' '}
          <a href="/signup" class={linkClass}>
            {t('auth.createWorkspace')}
          </a>
        </>
      }
    >
      <form
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        {query.reset === '1' && (
          <p role="status" class="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
            {t('auth.resetDone')}
          </p>
        )}
        <FormError message={message} />
        <InputField label={t('field.email')} name="email" type="email" autoComplete="username" required error={submit.field('email')} />
        <InputField label={t('field.password')} name="password" type="password" autoComplete="current-password" required error={submit.field('password')} />
        {needsCode && (
          <InputField
            label={t('auth.totpCode')}
            hint={t('auth.totpRequired')}
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            error={submit.field('totp')}
          />
        )}
        <div class="flex justify-end text-sm">
          <a href="/forgot-password" class={linkClass}>
            {t('auth.forgotLink')}
          </a>
        </div>
        <Button type="submit" tone="primary" busy={submit.busy} class="w-full">
          {t('auth.signIn')}
        </Button>
      </form>
    </AuthLayout>
  );
}
