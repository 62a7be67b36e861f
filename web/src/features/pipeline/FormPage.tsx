import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { Field, FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { fieldMessage, messageFor } from '../../lib/errors';
import { formatMoney, inputToMinor, minorToInput } from '../../lib/format';
import { useAsync, useDebounced } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import { createDeal, getDeal, searchCompanies, searchContacts, searchProducts, updateDeal, type DealDetail, type DealInput, type Product, type Ref } from './api';
import { isNotFound, NotFound } from './common';
import { activePeople, useLookups } from './lookups';

type ItemRow = { productId: string | null; name: string; quantity: string; unitPrice: string };
type Values = {
  name: string;
  pipelineId: string;
  stageId: string;
  contact: Ref | null;
  company: Ref | null;
  amount: string;
  currency: string;
  expectedCloseOn: string;
  source: string;
  nextStep: string;
  lostReason: string;
  ownerId: string;
  contractStartOn: string;
  contractEndOn: string;
  items: ItemRow[];
};

function valuesOf(d: DealDetail | null, pipelineId: string, currency: string): Values {
  const cur = d?.currency ?? currency;
  return {
    name: d?.name ?? '',
    pipelineId: d?.pipelineId ?? pipelineId,
    stageId: d?.stageId ?? '',
    contact: d?.contactId ? { id: d.contactId, name: d.contactName ?? '' } : null,
    company: d?.companyId ? { id: d.companyId, name: d.companyName ?? '' } : null,
    amount: d ? minorToInput(d.amount, cur) : '',
    currency: cur,
    expectedCloseOn: d?.expectedCloseOn ?? '',
    source: d?.source ?? '',
    nextStep: d?.nextStep ?? '',
    lostReason: d?.lostReason ?? '',
    ownerId: d ? (d.ownerId ?? '') : (me.value?.user.id ?? ''),
    contractStartOn: d?.contractStartOn ?? '',
    contractEndOn: d?.contractEndOn ?? '',
    items: (d?.items ?? []).map((i) => ({ productId: i.productId, name: i.name, quantity: String(i.quantity), unitPrice: minorToInput(i.unitPrice, cur) })),
  };
}

const orNull = (s: string) => s.trim() || null;

/** A local check the API would make too, named like the API's field so that it shows in the same place. */
class LocalError extends ApiError {
  constructor(field: string, code: string) {
    super(422, 'validation_failed', '', [{ field, code, message: '' }]);
  }
}

function inputFrom(v: Values, base: DealDetail | null): DealInput {
  const amount = v.amount.trim() ? inputToMinor(v.amount, v.currency) : undefined;
  if (amount === null) throw new LocalError('amount', 'invalid');
  const items = v.items.map((row, i) => {
    const quantity = Number(row.quantity);
    if (!Number.isInteger(quantity) || quantity < 1) throw new LocalError(`items.${i}.quantity`, 'invalid');
    const unitPrice = row.unitPrice.trim() ? inputToMinor(row.unitPrice, v.currency) : undefined;
    if (unitPrice === null) throw new LocalError(`items.${i}.unitPrice`, 'invalid');
    return { ...(row.productId ? { productId: row.productId } : {}), name: row.name.trim() || undefined, quantity, unitPrice };
  });
  const input: DealInput = {
    name: v.name.trim(),
    contactId: v.contact?.id ?? null,
    companyId: v.company?.id ?? null,
    currency: v.currency,
    expectedCloseOn: v.expectedCloseOn || null,
    source: orNull(v.source),
    nextStep: orNull(v.nextStep),
    contractStartOn: v.contractStartOn || null,
    contractEndOn: v.contractEndOn || null,
    ownerId: v.ownerId || null,
  };
  if (amount !== undefined) input.amount = amount;
  if (items.length || (base && base.items.length)) input.items = items;
  if (!base) {
    input.pipelineId = v.pipelineId || undefined;
    input.stageId = v.stageId || undefined;
    if (v.lostReason.trim()) input.lostReason = v.lostReason.trim();
  }
  return input;
}

/** A contact or company chosen by typing part of its name. */
function RecordPicker({ label, value, onChange, search, error }: { label: string; value: Ref | null; onChange: (r: Ref | null) => void; search: (q: string, signal: AbortSignal) => Promise<{ items: Ref[] }>; error?: string }) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const q = useDebounced(text.trim(), 250);
  const results = useAsync((signal) => (open ? search(q, signal) : Promise.resolve({ items: [] })), [q, open]);
  const listId = useId();
  return (
    <Field label={label} error={error}>
      {({ id, describedBy, invalid }) =>
        value ? (
          <div class="flex items-center gap-2">
            <span id={id} class={`${inputClass} truncate`}>
              {value.name}
            </span>
            <Button tone="ghost" icon="close" aria-label={t('pl.form.clear', { name: value.name })} onClick={() => onChange(null)} />
          </div>
        ) : (
          <div class="relative">
            <input
              id={id}
              type="search"
              class={inputClass}
              role="combobox"
              aria-expanded={open}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              placeholder={t('pl.form.searchPlaceholder')}
              value={text}
              onFocus={() => setOpen(true)}
              onBlur={() => setTimeout(() => setOpen(false), 150)}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            {open && (results.data?.items.length ?? 0) > 0 && (
              <ul id={listId} role="listbox" class="absolute z-20 mt-1 max-h-60 w-full overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                {results.data!.items.map((r) => (
                  <li key={r.id} role="option" aria-selected={false}>
                    <button
                      type="button"
                      class="block w-full truncate px-3 py-2 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        onChange({ id: r.id, name: r.name });
                        setText('');
                        setOpen(false);
                      }}
                    >
                      {r.name}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      }
    </Field>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <Card>
      <CardHeader title={title} />
      <div class="flex flex-col gap-4 p-4 sm:p-5">{children}</div>
    </Card>
  );
}

function focusFirstInvalid() {
  setTimeout(() => {
    const field = document.querySelector<HTMLElement>('main [aria-invalid="true"]');
    field?.scrollIntoView({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, 0);
}

function DealForm({ deal }: { deal: DealDetail | null }) {
  const { query, route } = useLocation();
  const lookups = useLookups();
  const workspaceCurrency = me.value?.workspace.currency ?? 'CNY';
  const defaultPipeline = query.pipeline || lookups.pipelines.find((p) => p.isDefault)?.id || lookups.pipelines[0]?.id || '';
  const [values, setValues] = useState<Values>(() => valuesOf(deal, defaultPipeline, workspaceCurrency));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const products = useAsync((signal) => searchProducts('', signal), []);
  useEffect(() => {
    if (!values.pipelineId && defaultPipeline) setValues((v) => ({ ...v, pipelineId: defaultPipeline }));
  }, [defaultPipeline]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const bind = (key: 'name' | 'amount' | 'expectedCloseOn' | 'source' | 'nextStep' | 'lostReason' | 'contractStartOn' | 'contractEndOn') => ({
    value: values[key],
    error: fieldMessage(error, key),
    onInput: (e: Event) => set(key, (e.currentTarget as HTMLInputElement).value),
  });
  const pipeline = lookups.pipelines.find((p) => p.id === values.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === values.stageId);
  const itemsTotal = values.items.reduce((sum, row) => sum + (Number(row.quantity) || 0) * (inputToMinor(row.unitPrice, values.currency) ?? 0), 0);
  const setItem = (i: number, changes: Partial<ItemRow>) => set('items', values.items.map((row, j) => (j === i ? { ...row, ...changes } : row)));
  const addProduct = (p: Product | undefined) => {
    if (!p) return;
    set('items', [...values.items, { productId: p.id, name: p.name, quantity: '1', unitPrice: minorToInput(p.unitPrice, values.currency) }]);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!values.name.trim()) throw new LocalError('name', 'too_small');
      const input = inputFrom(values, deal);
      const saved = deal ? await updateDeal(deal, input) : await createDeal(input);
      toast(t(deal ? 'pl.form.saved' : 'pl.form.created', { name: saved.name }));
      route(`/pipeline/${saved.id}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 412) toast(t('pl.board.stale', { name: values.name }), 'error');
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  };

  const fieldErrorCount = error instanceof ApiError ? error.errors.length : 0;
  return (
    <form onSubmit={submit} noValidate class="space-y-4">
      <PageHeader title={deal ? t('pl.form.editTitle', { name: deal.name }) : t('pl.newDeal')} />
      <FormError message={error && fieldErrorCount === 0 ? messageFor(error) : error instanceof ApiError && error.status === 422 ? t('pl.form.fixFields') : null} />
      <Section title={t('pl.form.deal')}>
        <InputField label={t('pl.field.name')} required maxLength={200} {...bind('name')} />
        {!deal && (
          <div class="grid gap-4 sm:grid-cols-2">
            <SelectField label={t('pl.pipeline')} value={values.pipelineId} error={fieldMessage(error, 'pipelineId')} onChange={(e) => setValues((v) => ({ ...v, pipelineId: e.currentTarget.value, stageId: '' }))}>
              {lookups.pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('pl.field.stage')} value={values.stageId} error={fieldMessage(error, 'stageId')} onChange={(e) => set('stageId', e.currentTarget.value)}>
              <option value="">{t('pl.form.firstStage')}</option>
              {(pipeline?.stages ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        {!deal && stage?.kind === 'lost' && <InputField label={t('pl.field.lostReason')} {...bind('lostReason')} />}
        <div class="grid gap-4 sm:grid-cols-2">
          <RecordPicker label={t('pl.field.contact')} value={values.contact} onChange={(r) => set('contact', r)} search={searchContacts} error={fieldMessage(error, 'contactId')} />
          <RecordPicker label={t('pl.field.company')} value={values.company} onChange={(r) => set('company', r)} search={searchCompanies} error={fieldMessage(error, 'companyId')} />
        </div>
        <div class="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <InputField label={t('pl.field.amount')} inputMode="decimal" hint={values.items.length ? t('pl.form.amountFromItems', { total: formatMoney(itemsTotal, values.currency) }) : undefined} {...bind('amount')} />
          <InputField label={t('pl.field.currency')} maxLength={3} value={values.currency} error={fieldMessage(error, 'currency')} onInput={(e) => set('currency', e.currentTarget.value.toUpperCase())} />
        </div>
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('pl.field.expectedCloseOn')} type="date" {...bind('expectedCloseOn')} />
          <SelectField label={t('pl.field.owner')} value={values.ownerId} error={fieldMessage(error, 'ownerId')} onChange={(e) => set('ownerId', e.currentTarget.value)} disabled={!can('deals:write')}>
            <option value="">{t('pl.card.noOwner')}</option>
            {activePeople(lookups.people).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('pl.field.source')} maxLength={100} {...bind('source')} />
          <InputField label={t('pl.field.nextStep')} maxLength={500} {...bind('nextStep')} />
        </div>
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('pl.field.contractStartOn')} type="date" {...bind('contractStartOn')} />
          <InputField label={t('pl.field.contractEndOn')} type="date" {...bind('contractEndOn')} />
        </div>
      </Section>
      <Section title={t('pl.items.title')}>
        {values.items.length > 0 && (
          <ul class="space-y-3" aria-label={t('pl.items.title')}>
            {values.items.map((row, i) => (
              <li key={i} class="grid grid-cols-2 gap-2 sm:grid-cols-[1fr_6rem_8rem_auto] sm:items-end">
                <InputField fieldClass="col-span-2 sm:col-span-1" label={t('pl.items.name')} value={row.name} error={fieldMessage(error, `items.${i}.name`)} onInput={(e) => setItem(i, { name: e.currentTarget.value })} />
                <InputField label={t('pl.items.quantity')} type="number" min={1} step={1} value={row.quantity} error={fieldMessage(error, `items.${i}.quantity`)} onInput={(e) => setItem(i, { quantity: e.currentTarget.value })} />
                <InputField label={t('pl.items.unitPrice')} inputMode="decimal" value={row.unitPrice} error={fieldMessage(error, `items.${i}.unitPrice`)} onInput={(e) => setItem(i, { unitPrice: e.currentTarget.value })} />
                <Button tone="ghost" icon="trash" class="col-span-2 justify-self-end sm:col-span-1" aria-label={t('pl.items.remove', { name: row.name })} onClick={() => set('items', values.items.filter((_, j) => j !== i))} />
              </li>
            ))}
          </ul>
        )}
        <div class="flex flex-wrap gap-2">
          <select class={`${inputClass} sm:w-72`} aria-label={t('pl.items.addProduct')} value="" onChange={(e) => addProduct(products.data?.items.find((p) => p.id === e.currentTarget.value))}>
            <option value="">{t('pl.items.addProduct')}</option>
            {(products.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {formatMoney(p.unitPrice, p.currency)}
              </option>
            ))}
          </select>
          <Button icon="plus" onClick={() => set('items', [...values.items, { productId: null, name: '', quantity: '1', unitPrice: '' }])}>
            {t('pl.items.addLine')}
          </Button>
        </div>
      </Section>
      <div class="flex flex-wrap justify-end gap-2">
        <ButtonLink href={deal ? `/pipeline/${deal.id}` : '/pipeline'}>{t('common.cancel')}</ButtonLink>
        <Button tone="primary" type="submit" busy={busy} icon="check">
          {deal ? t('common.save') : t('pl.form.create')}
        </Button>
      </div>
    </form>
  );
}

/** `/pipeline/new` and `/pipeline/:id/edit`. */
export function DealFormPage({ id }: { id?: string }) {
  const state = useAsync((signal) => (id ? getDeal(id, signal) : Promise.resolve(null)), [id]);
  if (state.error && isNotFound(state.error)) return <NotFound />;
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return <DealForm key={id ?? 'new'} deal={state.data} />;
}
