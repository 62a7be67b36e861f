import { useMemo, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { FormError, InputField, SelectField } from '../../components/Field';
import { toast } from '../../components/Toast';
import { timeZones } from '../../lib/format';
import { useFields, useSubmit } from '../../lib/hooks';
import { setDeviceLocale, t, type Locale } from '../../lib/i18n';
import { loadMe, me, setMe } from '../../lib/session';
import { setTheme, theme, type ThemeChoice } from '../../lib/theme';
import { changePassword, confirmTotp, disableTotp, startTotp, updateProfile } from './api';
import { ReminderPreferences } from './ReminderPreferences';

const LANGUAGE_OPTIONS: { value: '' | Locale; label: () => string }[] = [
  { value: '', label: () => t('profile.followBrowser') },
  { value: 'zh-CN', label: () => t('lang.zh-CN') },
  { value: 'en', label: () => t('lang.en') },
];

function ProfileForm() {
  const user = me.value!.user;
  const workspace = me.value!.workspace;
  const zones = useMemo(timeZones, []);
  const fields = useFields({ name: user.name, locale: user.locale ?? '', timezone: user.timezone ?? '' });
  const submit = useSubmit(async () => {
    const { name, locale, timezone } = fields.values;
    const chosenLocale = (locale || null) as Locale | null;
    const next = await updateProfile({ name, locale: chosenLocale, timezone: timezone || null });
    if (!chosenLocale) setDeviceLocale(null);
    setMe(next);
    toast(t('profile.saved'));
  });
  return (
    <Card>
      <CardHeader title={t('profile.detailsTitle')} description={t('profile.detailsBody')} />
      <form
        class="grid gap-4 p-4 sm:grid-cols-2 sm:p-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <div class="sm:col-span-2">
          <FormError message={submit.message} />
        </div>
        <InputField label={t('field.name')} {...fields.bind('name')} autoComplete="name" required error={submit.field('name')} />
        <InputField label={t('field.email')} value={user.email} disabled hint={t('profile.emailHint')} />
        <SelectField label={t('field.language')} {...fields.bind('locale')} error={submit.field('locale')}>
          {LANGUAGE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label()}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('field.timezone')} {...fields.bind('timezone')} error={submit.field('timezone')}>
          <option value="">{t('profile.followWorkspace', { timezone: workspace.timezone })}</option>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
        <div class="flex justify-end sm:col-span-2">
          <Button type="submit" tone="primary" busy={submit.busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PasswordForm() {
  const [mismatch, setMismatch] = useState(false);
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const newPassword = String(data.get('newPassword') ?? '');
    setMismatch(newPassword !== String(data.get('confirm') ?? ''));
    if (newPassword !== String(data.get('confirm') ?? '')) return;
    await changePassword(String(data.get('currentPassword') ?? ''), newPassword);
    form.reset();
    toast(t('profile.passwordChanged'));
  });
  return (
    <Card>
      <CardHeader title={t('profile.passwordTitle')} description={t('profile.passwordBody')} />
      <form
        class="grid gap-4 p-4 sm:grid-cols-3 sm:p-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        {submit.message && (
          <div class="sm:col-span-3">
            <FormError message={submit.message} />
          </div>
        )}
        <InputField label={t('field.currentPassword')} name="currentPassword" type="password" autoComplete="current-password" error={submit.field('currentPassword')} />
        <InputField label={t('field.newPassword')} name="newPassword" type="password" autoComplete="new-password" hint={t('auth.passwordHint')} error={submit.field('newPassword')} />
        <InputField label={t('field.confirmPassword')} name="confirm" type="password" autoComplete="new-password" error={mismatch ? t('error.passwordMismatch') : undefined} />
        <div class="flex justify-end sm:col-span-3">
          <Button type="submit" busy={submit.busy}>
            {t('profile.changePassword')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function TwoFactor() {
  const enabled = me.value!.user.totpEnabled;
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const begin = useSubmit(async () => setEnrolment(await startTotp()));
  const confirm = useSubmit(async (form: HTMLFormElement) => {
    await confirmTotp(enrolment!.secret, String(new FormData(form).get('code') ?? '').trim());
    setEnrolment(null);
    await loadMe();
    toast(t('profile.totpOn'));
  });
  const disable = useSubmit(async (form: HTMLFormElement) => {
    await disableTotp(String(new FormData(form).get('password') ?? ''));
    await loadMe();
    toast(t('profile.totpOff'));
  });
  const onSubmit = (run: (f: HTMLFormElement) => Promise<boolean>) => (e: Event) => {
    e.preventDefault();
    void run(e.currentTarget as HTMLFormElement);
  };

  return (
    <Card>
      <CardHeader
        title={t('profile.totpTitle')}
        description={t('profile.totpBody')}
        actions={<Badge tone={enabled ? 'green' : 'gray'}>{enabled ? t('profile.totpEnabled') : t('profile.totpDisabled')}</Badge>}
      />
      <div class="p-4 sm:p-5">
        {enabled ? (
          <form class="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate onSubmit={onSubmit(disable.run)}>
            <InputField fieldClass="sm:w-72" label={t('profile.totpDisablePassword')} name="password" type="password" autoComplete="current-password" error={disable.field('password')} />
            <Button type="submit" tone="danger" busy={disable.busy}>
              {t('profile.totpDisable')}
            </Button>
          </form>
        ) : enrolment ? (
          <form class="flex flex-col gap-4" noValidate onSubmit={onSubmit(confirm.run)}>
            <ol class="list-decimal space-y-2 pl-5 text-sm text-slate-600 dark:text-slate-300">
              <li>
                {t('profile.totpStep1')}{' '}
                <a href={enrolment.uri} class="font-medium text-accent-text hover:underline">
                  {t('profile.totpOpenApp')}
                </a>
              </li>
              <li>{t('profile.totpStep2')}</li>
            </ol>
            <div class="flex flex-wrap items-center gap-2 rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
              <code class="min-w-0 font-mono text-sm break-all">
                {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
              </code>
              <CopyButton text={enrolment.secret} />
            </div>
            <FormError message={confirm.field('code') ? null : confirm.message} />
            <div class="flex flex-col gap-3 sm:flex-row sm:items-end">
              <InputField fieldClass="sm:w-48" label={t('auth.totpCode')} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} error={confirm.field('code')} />
              <Button type="submit" tone="primary" busy={confirm.busy}>
                {t('profile.totpConfirm')}
              </Button>
              <Button onClick={() => setEnrolment(null)}>{t('common.cancel')}</Button>
            </div>
          </form>
        ) : (
          <div class="flex flex-col gap-3">
            <FormError message={begin.message} />
            <div>
              <Button tone="primary" icon="shield" busy={begin.busy} onClick={() => void begin.run()}>
                {t('profile.totpSetUp')}
              </Button>
            </div>
          </div>
        )}
      </div>
    </Card>
  );
}

function Appearance() {
  const options: { value: ThemeChoice; label: string }[] = [
    { value: 'system', label: t('theme.system') },
    { value: 'light', label: t('theme.light') },
    { value: 'dark', label: t('theme.dark') },
  ];
  return (
    <Card>
      <CardHeader title={t('profile.appearanceTitle')} description={t('profile.appearanceBody')} />
      <div class="p-4 sm:p-5">
        <fieldset>
          <legend class="sr-only">{t('profile.appearanceTitle')}</legend>
          <div class="inline-flex rounded-lg border border-slate-300 p-0.5 dark:border-slate-700">
            {options.map((o) => (
              <label
                key={o.value}
                class={`cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${theme.value === o.value ? 'bg-accent text-accent-fg' : 'text-slate-600 dark:text-slate-300'}`}
              >
                <input type="radio" name="theme" value={o.value} class="sr-only" checked={theme.value === o.value} onChange={() => setTheme(o.value)} />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
    </Card>
  );
}

export function ProfilePage() {
  return (
    <>
      <PageHeader title={t('settings.profile')} description={t('profile.description')} />
      <div class="flex flex-col gap-5">
        <ProfileForm />
        <ReminderPreferences />
        <PasswordForm />
        <TwoFactor />
        <Appearance />
      </div>
    </>
  );
}
