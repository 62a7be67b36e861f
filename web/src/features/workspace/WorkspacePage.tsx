import { useMemo } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { Field, FormError, InputField, inputClass, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { timeZones } from '../../lib/format';
import { useAsync, useFields, useSubmit } from '../../lib/hooks';
import { locale, LOCALES, t, type Locale } from '../../lib/i18n';
import { can, setWorkspace, type Workspace } from '../../lib/session';
import { getWorkspace, updateWorkspace } from './api';

const CURRENCIES = ['CNY', 'HKD', 'TWD', 'MOP', 'USD', 'EUR', 'GBP', 'JPY', 'KRW', 'SGD', 'MYR', 'THB', 'AUD', 'CAD', 'CHF', 'INR'];
const COUNTRIES = ['CN', 'HK', 'TW', 'MO', 'SG', 'MY', 'TH', 'VN', 'JP', 'KR', 'US', 'CA', 'GB', 'DE', 'FR', 'AU', 'NZ', 'IN'];
const ACCENTS = ['#4f46e5', '#2563eb', '#0891b2', '#059669', '#65a30d', '#d97706', '#dc2626', '#db2777', '#7c3aed', '#475569'];

function withCurrent(list: string[], current: string) {
  return list.includes(current) ? list : [current, ...list];
}

function displayName(type: 'currency' | 'region', code: string) {
  try {
    return new Intl.DisplayNames([locale.value], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

function WorkspaceForm({ workspace, onSaved, onStale }: { workspace: Workspace; onSaved: (w: Workspace) => void; onStale: () => void }) {
  const canEdit = can('settings:write');
  const zones = useMemo(timeZones, []);
  const fields = useFields({
    name: workspace.name,
    currency: workspace.currency,
    timezone: workspace.timezone,
    locale: workspace.locale as string,
    defaultCountry: workspace.defaultCountry,
    accentColor: workspace.accentColor,
  });
  const submit = useSubmit(async () => {
    const saved = await updateWorkspace(workspace.version, { ...fields.values, locale: fields.values.locale as Locale, accentColor: fields.values.accentColor.toLowerCase() });
    onSaved(saved);
    toast(t('workspace.saved'));
  });
  const stale = submit.error && (submit.error as { code?: string }).code === 'version_mismatch';
  const accent = fields.values.accentColor;
  const validAccent = /^#[0-9a-fA-F]{6}$/.test(accent);

  return (
    <Card>
      <CardHeader title={t('workspace.formTitle')} description={canEdit ? t('workspace.formBody') : t('workspace.readOnly')} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <fieldset disabled={!canEdit} class="grid gap-4 p-4 sm:grid-cols-2 sm:p-5">
          {submit.message && (
            <div class="flex flex-wrap items-center gap-3 sm:col-span-2">
              <div class="flex-1">
                <FormError message={submit.message} />
              </div>
              {stale && (
                <Button size="sm" icon="refresh" onClick={onStale}>
                  {t('common.reload')}
                </Button>
              )}
            </div>
          )}
          <InputField fieldClass="sm:col-span-2" label={t('field.workspaceName')} {...fields.bind('name')} error={submit.field('name')} />
          <SelectField label={t('field.currency')} {...fields.bind('currency')} error={submit.field('currency')}>
            {withCurrent(CURRENCIES, workspace.currency).map((c) => (
              <option key={c} value={c}>
                {c} · {displayName('currency', c)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('field.defaultCountry')} {...fields.bind('defaultCountry')} error={submit.field('defaultCountry')}>
            {withCurrent(COUNTRIES, workspace.defaultCountry).map((c) => (
              <option key={c} value={c}>
                {displayName('region', c)} ({c})
              </option>
            ))}
          </SelectField>
          <SelectField label={t('field.timezone')} {...fields.bind('timezone')} error={submit.field('timezone')}>
            {withCurrent(zones, workspace.timezone).map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('workspace.emailLanguage')} hint={t('workspace.emailLanguageHint')} {...fields.bind('locale')} error={submit.field('locale')}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </SelectField>
          <Field class="sm:col-span-2" label={t('field.accentColor')} hint={t('workspace.accentHint')} error={submit.field('accentColor')}>
            {({ id, describedBy, invalid }) => (
              <div class="flex flex-wrap items-center gap-3">
                <input
                  type="color"
                  aria-label={t('workspace.pickColor')}
                  value={validAccent ? accent : '#4f46e5'}
                  onInput={(e) => fields.setValues((v) => ({ ...v, accentColor: e.currentTarget.value }))}
                  class="h-9 w-12 cursor-pointer rounded-md border border-slate-300 bg-white p-1 dark:border-slate-700 dark:bg-slate-900"
                />
                <div class="w-32">
                  <input id={id} {...fields.bind('accentColor')} class={`${inputClass} font-mono`} aria-invalid={invalid} aria-describedby={describedBy} maxLength={7} />
                </div>
                <div class="flex flex-wrap gap-1.5" role="group" aria-label={t('workspace.presets')}>
                  {ACCENTS.map((c) => (
                    <button
                      key={c}
                      type="button"
                      title={c}
                      aria-label={c}
                      aria-pressed={accent.toLowerCase() === c}
                      onClick={() => fields.setValues((v) => ({ ...v, accentColor: c }))}
                      class={`size-7 rounded-full ring-offset-2 ring-offset-white dark:ring-offset-slate-900 ${accent.toLowerCase() === c ? 'ring-2 ring-slate-900 dark:ring-white' : ''}`}
                      style={{ background: c }}
                    />
                  ))}
                </div>
              </div>
            )}
          </Field>
          {canEdit && (
            <div class="flex justify-end sm:col-span-2">
              <Button type="submit" tone="primary" busy={submit.busy}>
                {t('common.save')}
              </Button>
            </div>
          )}
        </fieldset>
      </form>
    </Card>
  );
}

export function WorkspacePage() {
  const state = useAsync((signal) => getWorkspace(signal));
  return (
    <>
      <PageHeader title={t('settings.workspace')} description={t('workspace.description')} />
      {state.error ? (
        <Card>
          <ErrorState error={state.error} onRetry={state.reload} />
        </Card>
      ) : !state.data ? (
        <Card>
          <Loading />
        </Card>
      ) : (
        <WorkspaceForm
          key={state.data.version}
          workspace={state.data}
          onSaved={(saved) => {
            setWorkspace(saved);
            state.reload();
          }}
          onStale={state.reload}
        />
      )}
    </>
  );
}
