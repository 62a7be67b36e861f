import '../../lib/i18n/customers';
import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { FormError, inputClass, InputField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { inputToMinor, minorToInput } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import { getCustomerRules, putCustomerRules, type CustomerRules } from './api';

type Key = 'recencyDays' | 'frequency' | 'monetary';
type Form = { churnAfterDays: string } & Record<Key, string[]>;

const ROWS: Key[] = ['recencyDays', 'frequency', 'monetary'];

function toForm(rules: CustomerRules, currency: string): Form {
  return {
    churnAfterDays: String(rules.churnAfterDays),
    recencyDays: rules.rfm.recencyDays.map(String),
    frequency: rules.rfm.frequency.map(String),
    monetary: rules.rfm.monetary.map((m) => minorToInput(m, currency)),
  };
}

const toInt = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

/** Settings → customer rules: when a customer counts as churned, and the RFM score cut-offs. */
export function CustomerRulesPage() {
  const currency = me.value?.workspace.currency ?? 'CNY';
  const canEdit = can('settings:write');
  const state = useAsync((signal) => getCustomerRules(signal), []);
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (state.data) setForm(toForm(state.data, currency));
  }, [state.data]);
  const submit = useSubmit(async () => {
    if (!form) return;
    const saved = await putCustomerRules({
      churnAfterDays: toInt(form.churnAfterDays),
      rfm: {
        recencyDays: form.recencyDays.map(toInt),
        frequency: form.frequency.map(toInt),
        monetary: form.monetary.map((m) => inputToMinor(m, currency) ?? Number.NaN),
      },
    });
    setForm(toForm(saved, currency));
    toast(t('rules.saved'));
  });

  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!form) return <Loading />;

  const groupError = (key: Key) => (submit.error instanceof ApiError && submit.error.errors.some((e) => e.field.startsWith(`rfm.${key}`)) ? t('rules.increasing') : undefined);
  const setCell = (key: Key, i: number, value: string) => setForm({ ...form, [key]: form[key].map((v, j) => (j === i ? value : v)) });

  return (
    <>
      <PageHeader title={t('settings.customerRules')} description={t('rules.description')} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <Card>
          <CardHeader title={t('rules.churnTitle')} description={t('rules.churnBody')} />
          <div class="flex flex-col gap-4 p-4 sm:p-5">
            <FormError message={submit.message} />
            <InputField
              label={t('rules.churnAfterDays')}
              inputMode="numeric"
              fieldClass="max-w-xs"
              value={form.churnAfterDays}
              disabled={!canEdit}
              onInput={(e) => setForm({ ...form, churnAfterDays: e.currentTarget.value })}
              error={submit.field('churnAfterDays') && t('rules.days')}
            />
          </div>
          <CardHeader title={t('rules.rfmTitle')} description={t('rules.rfmBody')} />
          <div class="flex flex-col gap-5 p-4 sm:p-5">
            {ROWS.map((key) => (
              <fieldset key={key}>
                <legend class="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">{t(`rules.${key}`, { currency })}</legend>
                <p class="mb-2 text-xs text-slate-500 dark:text-slate-400">{t(`rules.${key}Hint`)}</p>
                <div class="grid grid-cols-2 gap-2 sm:grid-cols-4">
                  {form[key].map((value, i) => (
                    <label key={i} class="block">
                      <span class="mb-1 block text-xs text-slate-500 dark:text-slate-400">{t(key === 'recencyDays' ? 'rules.scoreAtMost' : 'rules.scoreAtLeast', { score: key === 'recencyDays' ? 5 - i : i + 2 })}</span>
                      <input class={inputClass} inputMode={key === 'monetary' ? 'decimal' : 'numeric'} value={value} disabled={!canEdit} aria-invalid={Boolean(groupError(key))} onInput={(e) => setCell(key, i, e.currentTarget.value)} />
                    </label>
                  ))}
                </div>
                {groupError(key) && (
                  <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
                    {groupError(key)}
                  </p>
                )}
              </fieldset>
            ))}
          </div>
          {canEdit && (
            <div class="flex justify-end border-t border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
              <Button type="submit" tone="primary" busy={submit.busy}>
                {t('common.save')}
              </Button>
            </div>
          )}
        </Card>
      </form>
    </>
  );
}
