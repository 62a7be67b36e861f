import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Badge } from '../../components/Card';
import { FormError, InputField } from '../../components/Field';
import { Loading } from '../../components/States';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { setMe } from '../../lib/session';
import { acceptInvitation, previewInvitation } from './api';
import { AuthLayout, linkClass } from './AuthLayout';

export function AcceptInvitationPage() {
  const { query, route } = useLocation();
  const token = query.token ?? '';
  const preview = useAsync((signal) => (token ? previewInvitation(token, signal) : Promise.reject(new ApiError(404, 'invitation_not_found', ''))), [token]);
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const me = await acceptInvitation({ token, name: String(data.get('name') ?? ''), password: String(data.get('password') ?? '') });
    setMe(me);
    route('/customers', true);
  });
  const signIn = (
    <a href="/login" class={linkClass}>
      {t('auth.backToSignIn')}
    </a>
  );

  if (preview.error) {
    return (
      <AuthLayout title={t('invite.invalidTitle')} footer={signIn}>
        <p role="alert" class="text-sm text-slate-600 dark:text-slate-300">
          {messageFor(preview.error)}
        </p>
      </AuthLayout>
    );
  }
  if (!preview.data) return <Loading />;
  const invitation = preview.data;
  return (
    <AuthLayout title={t('invite.title', { workspace: invitation.workspaceName })} subtitle={t('invite.subtitle')} footer={signIn}>
      <dl class="mb-5 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg bg-slate-50 p-3 text-sm dark:bg-slate-800/60">
        <dt class="text-slate-500 dark:text-slate-400">{t('invite.workspace')}</dt>
        <dd class="min-w-0 truncate font-medium">
          {invitation.workspaceName}
        </dd>
        <dt class="text-slate-500 dark:text-slate-400">{t('field.role')}</dt>
        <dd>
          <Badge tone="accent">{t(`role.${invitation.role}`)}</Badge>
        </dd>
        <dt class="text-slate-500 dark:text-slate-400">{t('field.email')}</dt>
        <dd class="min-w-0 truncate">{invitation.email}</dd>
      </dl>
      <form
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        <FormError message={submit.message} />
        <InputField label={t('field.yourName')} name="name" autoComplete="name" required error={submit.field('name')} />
        <InputField
          label={t('field.choosePassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          hint={t('auth.passwordHint')}
          error={submit.field('password')}
        />
        <Button type="submit" tone="primary" busy={submit.busy} class="w-full">
          {t('invite.accept')}
        </Button>
      </form>
    </AuthLayout>
  );
}
