import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { FormError, InputField } from '../../components/Field';
import { useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { requestPasswordReset } from './api';
import { AuthLayout, linkClass } from './AuthLayout';

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const email = String(new FormData(form).get('email') ?? '');
    await requestPasswordReset(email);
    setSentTo(email);
  });
  const back = (
    <a href="/login" class={linkClass}>
      {t('auth.backToSignIn')}
    </a>
  );

  if (sentTo) {
    return (
      <AuthLayout title={t('auth.checkEmailTitle')} footer={back}>
        <p role="status" class="text-sm text-slate-600 dark:text-slate-300">
          {t('auth.checkEmailBody', { email: sentTo })}
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('auth.forgotTitle')} subtitle={t('auth.forgotSubtitle')} footer={back}>
      <form
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('field.email')} name="email" type="email" autoComplete="email" required error={submit.field('email')} />
        <Button type="submit" tone="primary" busy={submit.busy} class="w-full">
          {t('auth.sendResetLink')}
        </Button>
      </form>
    </AuthLayout>
  );
}
