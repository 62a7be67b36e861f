import type { ComponentType } from 'preact';
import { ButtonLink } from '../components/Button';
import { EmptyState } from '../components/States';
import { t } from '../lib/i18n';
import { can, type Permission } from '../lib/session';

export function NotFoundPage() {
  return (
    <EmptyState
      icon="search"
      title={t('notFound.title')}
      body={t('notFound.body')}
      action={
        <ButtonLink href="/customers" tone="primary">
          {t('notFound.home')}
        </ButtonLink>
      }
    />
  );
}

export function NoPermissionPage() {
  return (
    <EmptyState
      icon="lock"
      title={t('noPermission.title')}
      body={t('noPermission.body')}
      action={
        <ButtonLink href="/customers" tone="secondary">
          {t('notFound.home')}
        </ButtonLink>
      }
    />
  );
}

/** A page that needs a permission shows the no-permission page instead of itself without it. */
export function guarded<P>(permission: Permission | null, Page: ComponentType<P>): ComponentType<P> {
  if (!permission) return Page;
  return (props: P) => (can(permission) ? <Page {...(props as P & object)} /> : <NoPermissionPage />);
}
