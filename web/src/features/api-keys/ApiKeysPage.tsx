import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { FormError, InputField } from '../../components/Field';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { addDays, formatDate, formatRelative, startOfDayIso } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { AREAS, can, type Area, type Permission } from '../../lib/session';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from './api';

function ScopePicker({ scopes, onChange, error }: { scopes: Set<Permission>; onChange: (next: Set<Permission>) => void; error?: string }) {
  const set = (p: Permission, on: boolean) => {
    const next = new Set(scopes);
    if (on) next.add(p);
    else next.delete(p);
    // Writing without reading makes no sense for an integration: write implies read.
    if (on && p.endsWith(':write')) next.add(p.replace(':write', ':read') as Permission);
    if (!on && p.endsWith(':read')) next.delete(p.replace(':read', ':write') as Permission);
    onChange(next);
  };
  const all = (mode: 'read' | 'write' | 'none') =>
    onChange(new Set(mode === 'none' ? [] : AREAS.flatMap((a) => (mode === 'write' ? [`${a}:read`, `${a}:write`] : [`${a}:read`]) as Permission[])));
  return (
    <fieldset aria-describedby={error ? 'scopes-error' : undefined}>
      <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('apiKeys.scopes')}</legend>
      <div class="mb-2 flex flex-wrap gap-2">
        <Button size="sm" onClick={() => all('read')}>
          {t('apiKeys.allRead')}
        </Button>
        <Button size="sm" onClick={() => all('write')}>
          {t('apiKeys.allWrite')}
        </Button>
        <Button size="sm" tone="ghost" onClick={() => all('none')}>
          {t('apiKeys.clear')}
        </Button>
      </div>
      <div class="max-h-72 overflow-y-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table class="w-full text-sm">
          <thead class="sticky top-0 bg-slate-50 text-xs text-slate-500 dark:bg-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" class="px-3 py-2 text-left font-medium">
                {t('apiKeys.area')}
              </th>
              <th scope="col" class="w-20 px-3 py-2 font-medium">
                {t('apiKeys.read')}
              </th>
              <th scope="col" class="w-20 px-3 py-2 font-medium">
                {t('apiKeys.write')}
              </th>
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
            {AREAS.map((area: Area) => (
              <tr key={area}>
                <th scope="row" class="px-3 py-1.5 text-left font-normal">
                  {t(`area.${area}`)} <span class="font-mono text-xs text-slate-400">{area}</span>
                </th>
                {(['read', 'write'] as const).map((mode) => {
                  const p = `${area}:${mode}` as Permission;
                  return (
                    <td key={mode} class="px-3 py-1.5 text-center">
                      <input
                        type="checkbox"
                        class="size-4 accent-[var(--accent,#4f46e5)]"
                        aria-label={`${t(`area.${area}`)} ${t(mode === 'read' ? 'apiKeys.read' : 'apiKeys.write')}`}
                        checked={scopes.has(p)}
                        onChange={(e) => set(p, e.currentTarget.checked)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && (
        <p id="scopes-error" role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (key: ApiKey & { key: string }) => void }) {
  const [scopes, setScopes] = useState<Set<Permission>>(new Set(['contacts:read'] as Permission[]));
  const submit = useSubmit(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const expires = String(data.get('expiresAt') ?? '');
    const created = await createApiKey({ name: String(data.get('name') ?? ''), scopes: [...scopes], expiresAt: expires ? startOfDayIso(addDays(expires, 1)) : null });
    onCreated(created);
  });
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={t('apiKeys.newTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" tone="primary" busy={submit.busy} form="api-key-form">
            {t('apiKeys.create')}
          </Button>
        </>
      }
    >
      <form
        id="api-key-form"
        class="flex flex-col gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run(e.currentTarget);
        }}
      >
        <FormError message={submit.message} />
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('field.name')} name="name" placeholder={t('apiKeys.namePlaceholder')} error={submit.field('name')} />
          <InputField label={t('apiKeys.expires')} name="expiresAt" type="date" hint={t('apiKeys.expiresHint')} error={submit.field('expiresAt')} />
        </div>
        <ScopePicker scopes={scopes} onChange={setScopes} error={submit.field('scopes')} />
      </form>
    </Dialog>
  );
}

function SecretDialog({ created, onClose }: { created: ApiKey & { key: string }; onClose: () => void }) {
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('apiKeys.secretTitle', { name: created.name })}
      footer={
        <Button tone="primary" onClick={onClose}>
          {t('apiKeys.secretDone')}
        </Button>
      }
    >
      <p class="mb-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/60 dark:text-amber-200">{t('apiKeys.secretOnce')}</p>
      <div class="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 p-3 dark:border-slate-800 dark:bg-slate-800/60">
        <code class="min-w-0 flex-1 font-mono text-sm break-all">
          {created.key}
        </code>
        <CopyButton text={created.key} />
      </div>
      <p class="mt-3 text-xs text-slate-500 dark:text-slate-400">{t('apiKeys.usage')}</p>
      <code class="mt-1 block overflow-x-auto rounded bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">Authorization: Bearer {created.key.slice(0, 10)}…</code>
    </Dialog>
  );
}

function keyStatus(key: ApiKey) {
  if (key.revokedAt) return <Badge>{t('apiKeys.revoked')}</Badge>;
  if (key.expiresAt && key.expiresAt <= new Date().toISOString()) return <Badge tone="amber">{t('apiKeys.expired')}</Badge>;
  return <Badge tone="green">{t('apiKeys.active')}</Badge>;
}

export function ApiKeysPage() {
  const canEdit = can('api_keys:write');
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const keys = useAsync((signal) => listApiKeys(signal), [version]);
  const reload = () => setVersion((v) => v + 1);

  const revoke = async (key: ApiKey) => {
    const ok = await confirmAction({ title: t('apiKeys.revokeTitle', { name: key.name }), body: t('apiKeys.revokeBody'), confirmLabel: t('apiKeys.revoke') });
    if (!ok) return;
    try {
      await revokeApiKey(key.id);
      toast(t('apiKeys.revokedToast', { name: key.name }));
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const newButton = canEdit && (
    <Button tone="primary" icon="plus" onClick={() => setCreating(true)}>
      {t('apiKeys.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('settings.apiKeys')} description={t('apiKeys.description')} actions={newButton} />
      <Card>
        <AsyncList state={keys} empty={<EmptyState icon="key" title={t('apiKeys.emptyTitle')} body={t('apiKeys.emptyBody')} action={newButton} />}>
          {(data) => (
            <Table label={t('settings.apiKeys')} columns={[t('field.name'), t('apiKeys.scopes'), t('apiKeys.lastUsed'), t('apiKeys.expires'), t('field.status'), <span class="sr-only">{t('common.actions')}</span>]}>
              {data.items.map((key) => (
                <tr key={key.id}>
                  <td class={td}>
                    <div class="font-medium">{key.name}</div>
                    <div class="font-mono text-xs text-slate-500 dark:text-slate-400">{key.prefix}…</div>
                  </td>
                  <td class={td}>
                    <span title={key.scopes.join(', ')} class="text-slate-600 dark:text-slate-300">
                      {key.scopes.length <= 3 ? key.scopes.join(', ') : t('apiKeys.scopeCount', { count: key.scopes.length })}
                    </span>
                  </td>
                  <td class={`${td} whitespace-nowrap text-slate-500 dark:text-slate-400`}>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : t('apiKeys.neverUsed')}</td>
                  <td class={`${td} whitespace-nowrap text-slate-500 dark:text-slate-400`}>{key.expiresAt ? formatDate(key.expiresAt) : t('apiKeys.noExpiry')}</td>
                  <td class={td}>{keyStatus(key)}</td>
                  <td class={`${td} text-right`}>
                    {canEdit && !key.revokedAt && (
                      <Button size="sm" tone="ghost" icon="trash" onClick={() => void revoke(key)}>
                        {t('apiKeys.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </AsyncList>
      </Card>
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            reload();
          }}
        />
      )}
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
    </>
  );
}
