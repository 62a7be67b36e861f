import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { FormError, InputField } from '../../components/Field';
import { useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { resetPassword } from './api';
import { AuthLayout, linkClass } from './AuthLayout';

export function ResetPasswordPage() {
  const { query, route } = useLocation();
  const token = query.token ?? '';
  const [mismatch, setMismatch] = useState(false);
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    if (password !== String(data.get('confirm') ?? '')) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    await resetPassword(token, password);
    route('/login?reset=1', true);
  });
  const back = (
    <a href="/forgot-password" class={linkClass}>
      {t('auth.requestNewLink')}
    </a>
  );

  if (!token) {
    return (
      <AuthLayout title={t('auth.resetTitle')} footer={back}>
        <FormError message={t('error.resetLinkInvalid')} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('auth.resetTitle')} subtitle={t('auth.resetSubtitle')} footer={back}>
      <form
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        <FormError message={submit.field('token') ? t('error.resetLinkInvalid') : submit.message} />
        <InputField
          label={t('field.newPassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          hint={t('auth.passwordHint')}
          error={submit.field('password')}
        />
        <InputField label={t('field.confirmPassword')} name="confirm" type="password" autoComplete="new-password" required error={mismatch ? t('error.passwordMismatch') : undefined} />
        <Button type="submit" tone="primary" busy={submit.busy} class="w-full">
          {t('auth.setPassword')}
        </Button>
      </form>
    </AuthLayout>
  );
}
