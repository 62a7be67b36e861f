import { Button } from '../../components/Button';
import { FormError, InputField, SelectField } from '../../components/Field';
import { useSubmit } from '../../lib/hooks';
import { browserTimeZone, locale, LOCALES, setDeviceLocale, t, type Locale } from '../../lib/i18n';
import { setMe } from '../../lib/session';
import { signup } from './api';
import { AuthLayout, linkClass } from './AuthLayout';

export function SignupPage() {
  const timezone = browserTimeZone();
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const me = await signup({
      workspaceName: String(data.get('workspaceName') ?? ''),
      name: String(data.get('name') ?? ''),
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
      locale: locale.value,
      timezone,
    });
    setMe(me);
  });

  return (
    <AuthLayout
      title={t('auth.signUpTitle')}
      subtitle={t('auth.signUpSubtitle')}
      languagePicker={false}
      footer={
        <>
          {t('auth.haveAccount')}{' '}
          <a href="/login" class={linkClass}>
            {t('auth.signIn')}
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
        <FormError message={submit.message} />
        <InputField label={t('field.workspaceName')} name="workspaceName" autoComplete="organization" required error={submit.field('workspaceName')} />
        <InputField label={t('field.yourName')} name="name" autoComplete="name" required error={submit.field('name')} />
        <InputField label={t('field.workEmail')} name="email" type="email" autoComplete="email" required error={submit.field('email')} />
        <InputField
          label={t('field.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          hint={t('auth.passwordHint')}
          error={submit.field('password')}
        />
        <SelectField
          label={t('field.language')}
          name="locale"
          value={locale.value}
          hint={t('auth.timezoneHint', { timezone })}
          onChange={(e) => setDeviceLocale(e.currentTarget.value as Locale)}
          error={submit.field('locale') ?? submit.field('timezone')}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {t(`lang.${l}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" tone="primary" busy={submit.busy} class="w-full">
          {t('auth.createWorkspace')}
        </Button>
      </form>
    </AuthLayout>
  );
}
