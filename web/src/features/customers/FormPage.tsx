import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { CustomFieldInputs } from '../../components/CustomFieldInputs';
import { Checkbox, FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { ErrorState, Loading } from '../../components/States';
import { TagPicker } from '../../components/TagPicker';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { changedCustomValues, customFieldMessage, type CustomValues } from '../../lib/custom-fields';
import { messageFor } from '../../lib/errors';
import { useAsync, useDebounced } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { me } from '../../lib/session';
import {
  ADDRESS_PARTS,
  createContact,
  GENDERS,
  getContact,
  LIFECYCLES,
  searchCompanies,
  SOURCES,
  updateContact,
  type Address,
  type Contact,
  type ContactInput,
  type Duplicate,
  type Gender,
  type Lifecycle,
  type Source,
} from './api';
import { contactFieldMessage, focusFirstInvalid, isNotFound, NotFound, useContact } from './common';
import { DuplicatePrompt } from './DuplicatePrompt';
import { lifecycleLabel } from './labels';
import { addTag, useLookups } from './lookups';

type Values = {
  name: string;
  familyName: string;
  givenName: string;
  gender: Gender | '';
  title: string;
  birthday: string;
  companyId: string;
  companyName: string;
  phones: string[];
  emails: string[];
  address: Record<(typeof ADDRESS_PARTS)[number], string>;
  source: Source;
  lifecycle: Lifecycle;
  ownerId: string;
  tagIds: string[];
  emailConsent: boolean;
  smsConsent: boolean;
  nationalId: string;
  bankAccount: string;
  customFields: CustomValues;
};

function valuesOf(c: Contact | null): Values {
  return {
    name: c?.name ?? '',
    familyName: c?.familyName ?? '',
    givenName: c?.givenName ?? '',
    gender: c?.gender ?? '',
    title: c?.title ?? '',
    birthday: c?.birthday ?? '',
    companyId: c?.companyId ?? '',
    companyName: c?.company?.name ?? '',
    phones: c?.phones.length ? [...c.phones] : [''],
    emails: c?.emails.length ? [...c.emails] : [''],
    address: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, c?.address[p] ?? ''])) as Values['address'],
    source: c?.source ?? 'manual',
    lifecycle: c?.lifecycle ?? 'lead',
    ownerId: c ? (c.ownerId ?? '') : (me.value?.user.id ?? ''),
    tagIds: c?.tags.map((tag) => tag.id) ?? [],
    emailConsent: c?.emailConsent?.granted ?? false,
    smsConsent: c?.smsConsent?.granted ?? false,
    // Sensitive values come back masked for most roles: the field is for typing a new one.
    nationalId: '',
    bankAccount: '',
    customFields: { ...(c?.customFields ?? {}) },
  };
}

const textOrNull = (s: string) => s.trim() || null;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (items: string[]) => items.map((s) => s.trim()).filter(Boolean);

/** What to send: every filled field for a new customer, only what changed for an edit. */
function inputFrom(values: Values, base: Contact | null, defs: Parameters<typeof changedCustomValues>[0]): ContactInput {
  const before = valuesOf(base);
  const out: ContactInput = {};
  const put = <K extends keyof ContactInput>(key: K, value: ContactInput[K], changed: boolean) => {
    if (!base ? value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0) && value !== '' : changed) out[key] = value;
  };
  put('name', values.name.trim(), !same(values.name, before.name));
  put('familyName', textOrNull(values.familyName), !same(values.familyName, before.familyName));
  put('givenName', textOrNull(values.givenName), !same(values.givenName, before.givenName));
  put('gender', values.gender || null, !same(values.gender, before.gender));
  put('title', textOrNull(values.title), !same(values.title, before.title));
  put('birthday', values.birthday || null, !same(values.birthday, before.birthday));
  put('companyId', values.companyId || null, !same(values.companyId, before.companyId));
  put('phones', list(values.phones), !same(list(values.phones), list(before.phones)));
  put('emails', list(values.emails), !same(list(values.emails), list(before.emails)));
  const address: Address = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, textOrNull(values.address[p])]));
  put('address', Object.values(address).some(Boolean) || base ? address : undefined, !same(values.address, before.address));
  put('source', values.source, !same(values.source, before.source));
  put('lifecycle', values.lifecycle, !same(values.lifecycle, before.lifecycle));
  if (base ? values.ownerId !== before.ownerId : true) out.ownerId = values.ownerId || null;
  put('tagIds', values.tagIds, !same(values.tagIds, before.tagIds));
  if (base ? values.emailConsent !== before.emailConsent : values.emailConsent) out.emailConsent = values.emailConsent;
  if (base ? values.smsConsent !== before.smsConsent : values.smsConsent) out.smsConsent = values.smsConsent;
  if (values.nationalId.trim()) out.nationalId = values.nationalId.trim();
  if (values.bankAccount.trim()) out.bankAccount = values.bankAccount.trim();
  const custom = changedCustomValues(defs, values.customFields, base?.customFields);
  if (custom) out.customFields = custom;
  return out;
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <Card>
      <CardHeader title={title} />
      <div class="flex flex-col gap-4 p-4 sm:p-5">{children}</div>
    </Card>
  );
}

/** Several phones or emails: one input each, a button to add another. */
function ManyInputs({ label, values, onChange, type, error, addLabel }: { label: string; values: string[]; onChange: (v: string[]) => void; type: 'tel' | 'email'; error: (i: number) => string | undefined; addLabel: string }) {
  return (
    <fieldset>
      <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{label}</legend>
      <div class="flex flex-col gap-2">
        {values.map((v, i) => (
          <div key={i}>
            <div class="flex gap-2">
              <input
                type={type}
                class={inputClass}
                value={v}
                inputMode={type === 'tel' ? 'tel' : 'email'}
                autoComplete="off"
                aria-label={`${label} ${i + 1}`}
                aria-invalid={Boolean(error(i))}
                onInput={(e) => onChange(values.map((x, j) => (j === i ? e.currentTarget.value : x)))}
              />
              {values.length > 1 && (
                <button
                  type="button"
                  class="rounded-md p-2 text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800"
                  aria-label={t('form.removeValue', { value: v || label })}
                  onClick={() => onChange(values.filter((_, j) => j !== i))}
                >
                  <Icon name="trash" class="size-4" />
                </button>
              )}
            </div>
            {error(i) && (
              <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
                {error(i)}
              </p>
            )}
          </div>
        ))}
      </div>
      {values.length < 10 && (
        <button type="button" class="mt-2 text-sm font-medium text-accent-text hover:underline" onClick={() => onChange([...values, ''])}>
          + {addLabel}
        </button>
      )}
    </fieldset>
  );
}

/** A company by name: type to search, pick from the suggestions. */
function CompanyPicker({ companyId, companyName, onChange, error }: { companyId: string; companyName: string; onChange: (id: string, name: string) => void; error?: string }) {
  const [text, setText] = useState(companyName);
  const q = useDebounced(text.trim(), 250);
  const found = useAsync((signal) => (companyId ? Promise.resolve({ items: [], nextCursor: null }) : searchCompanies(q, signal)), [q, companyId]);
  useEffect(() => setText(companyName), [companyName]);
  if (companyId) {
    return (
      <div>
        <span class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">{t('customers.col.company')}</span>
        <div class="flex items-center gap-2 rounded-lg border border-slate-300 px-3 py-2 text-sm dark:border-slate-700">
          <Icon name="building" class="size-4 text-slate-400" />
          <span class="min-w-0 flex-1 truncate">{companyName}</span>
          <button type="button" class="rounded p-0.5 text-slate-400 hover:text-slate-700" aria-label={t('form.clearCompany')} onClick={() => onChange('', '')}>
            <Icon name="close" class="size-4" />
          </button>
        </div>
        {error && <p class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">{error}</p>}
      </div>
    );
  }
  const items = found.data?.items ?? [];
  return (
    <div>
      <InputField
        label={t('customers.col.company')}
        list="company-suggestions"
        value={text}
        placeholder={t('form.companyPlaceholder')}
        error={error}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          const match = items.find((c) => c.name === value);
          if (match) onChange(match.id, match.name);
        }}
      />
      <datalist id="company-suggestions">
        {items.map((c) => (
          <option key={c.id} value={c.name} />
        ))}
      </datalist>
    </div>
  );
}

export function CustomerFormPage({ id }: { id?: string }) {
  return id ? <EditForm id={id} /> : <ContactForm base={null} />;
}

function EditForm({ id }: { id: string }) {
  const state = useContact(id);
  if (state.error) return isNotFound(state.error) ? <NotFound /> : <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data || state.data.id !== id) return <Loading />;
  return <ContactForm base={state.data} />;
}

function ContactForm({ base: initialBase }: { base: Contact | null }) {
  const { route, query } = useLocation();
  const lookups = useLookups();
  const [base, setBase] = useState(initialBase);
  // "Add a person" on a company page opens this form with the company chosen.
  const [values, setValues] = useState(() => ({ ...valuesOf(initialBase), ...(initialBase || !query.companyId ? {} : { companyId: query.companyId, companyName: query.companyName ?? '' }) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [duplicates, setDuplicates] = useState<Duplicate[] | null>(null);
  const [stale, setStale] = useState(false);
  const isAdmin = me.value?.user.role === 'owner' || me.value?.user.role === 'admin';
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const save = async (opts: { force?: boolean; mergeInto?: string } = {}) => {
    if (!values.name.trim()) {
      setError(new ApiError(422, 'validation_failed', '', [{ field: 'name', message: '', code: 'too_small' }]));
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input = { ...inputFrom(values, base, lookups.defs), ...(opts.force ? { force: true } : {}) };
      const saved = base ? (Object.keys(input).filter((k) => k !== 'force').length ? await updateContact(base.id, base.version, input) : base) : await createContact(input);
      setDuplicates(null);
      if (opts.mergeInto) {
        route(`/customers/${opts.mergeInto}/merge?source=${saved.id}`);
        return;
      }
      toast(t(base ? 'form.saved' : 'form.created', { name: saved.name }));
      route(`/customers/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'duplicate_contact') {
        setDuplicates((err.problem.duplicates as Duplicate[] | undefined) ?? []);
      } else if (err instanceof ApiError && err.code === 'version_mismatch') {
        setStale(true);
      } else {
        setError(err);
        setDuplicates(null);
        focusFirstInvalid();
      }
    } finally {
      setBusy(false);
    }
  };

  /** Loads the colleague's version; what this person typed stays where they changed something. */
  const reloadLatest = async () => {
    if (!base) return;
    try {
      const fresh = await getContact(base.id);
      const before = valuesOf(base);
      const theirs = valuesOf(fresh);
      const merged = { ...theirs } as Values;
      for (const key of Object.keys(values) as (keyof Values)[]) {
        if (!same(values[key], before[key])) (merged as Record<string, unknown>)[key] = values[key];
      }
      setBase(fresh);
      setValues(merged);
      setStale(false);
      toast(t('form.reloaded'));
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const fe = (field: string) => contactFieldMessage(error, field);
  const cancelHref = base ? `/customers/${base.id}` : '/customers';
  const shownMessage = error instanceof ApiError && error.status === 422 ? t('error.validation') : error ? messageFor(error) : null;

  return (
    <form
      class="flex flex-col gap-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <PageHeader title={base ? t('form.editTitle', { name: base.name }) : t('form.newTitle')} description={base ? undefined : t('form.newBody')} />
      {stale && (
        <div role="alert" class="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200">
          <Icon name="alert" class="size-4 shrink-0" />
          <span class="min-w-0 flex-1">{t('form.stale')}</span>
          <Button size="sm" icon="refresh" onClick={() => void reloadLatest()}>
            {t('common.reload')}
          </Button>
        </div>
      )}
      <FormError message={shownMessage} />

      <Section title={t('form.basics')}>
        <InputField label={t('field.name')} value={values.name} onInput={(e) => set('name', e.currentTarget.value)} error={fe('name')} required autoFocus={!base} hint={t('form.nameHint')} />
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField label={t('customers.field.familyName')} value={values.familyName} onInput={(e) => set('familyName', e.currentTarget.value)} error={fe('familyName')} />
          <InputField label={t('customers.field.givenNameOnly')} value={values.givenName} onInput={(e) => set('givenName', e.currentTarget.value)} error={fe('givenName')} />
          <InputField label={t('customers.field.title')} value={values.title} onInput={(e) => set('title', e.currentTarget.value)} error={fe('title')} />
          <CompanyPicker companyId={values.companyId} companyName={values.companyName} onChange={(cid, name) => setValues((v) => ({ ...v, companyId: cid, companyName: name }))} error={fe('companyId')} />
          <SelectField label={t('customers.field.gender')} value={values.gender} onChange={(e) => set('gender', e.currentTarget.value as Gender | '')} error={fe('gender')}>
            <option value="">—</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`gender.${g}`)}
              </option>
            ))}
          </SelectField>
          <InputField label={t('customers.field.birthday')} type="date" value={values.birthday} onInput={(e) => set('birthday', e.currentTarget.value)} error={fe('birthday')} />
        </div>
      </Section>

      <Section title={t('form.reach')}>
        <div class="grid gap-4 sm:grid-cols-2">
          <ManyInputs label={t('customers.col.phone')} type="tel" values={values.phones} onChange={(v) => set('phones', v)} error={(i) => fe(`phones.${i}`)} addLabel={t('form.addPhone')} />
          <ManyInputs label={t('customers.col.email')} type="email" values={values.emails} onChange={(v) => set('emails', v)} error={(i) => fe(`emails.${i}`)} addLabel={t('form.addEmail')} />
        </div>
        <fieldset>
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('customers.field.address')}</legend>
          <div class="grid grid-cols-2 gap-3 sm:grid-cols-3">
            {ADDRESS_PARTS.map((part) => (
              <InputField
                key={part}
                label={t(`address.${part}`)}
                fieldClass={part === 'street' ? 'col-span-2' : undefined}
                value={values.address[part]}
                onInput={(e) => set('address', { ...values.address, [part]: e.currentTarget.value })}
                error={fe(`address.${part}`)}
              />
            ))}
          </div>
        </fieldset>
        <div class="flex flex-col gap-2">
          <Checkbox label={t('customers.field.emailConsent')} checked={values.emailConsent} onChange={(e) => set('emailConsent', e.currentTarget.checked)} />
          <Checkbox label={t('customers.field.smsConsent')} checked={values.smsConsent} onChange={(e) => set('smsConsent', e.currentTarget.checked)} />
        </div>
      </Section>

      <Section title={t('form.sales')}>
        <div class="grid gap-4 sm:grid-cols-3">
          <SelectField label={t('customers.col.owner')} value={values.ownerId} onChange={(e) => set('ownerId', e.currentTarget.value)} error={fe('ownerId')}>
            <option value="">{t('customers.unassigned')}</option>
            {lookups.people
              .filter((p) => p.isActive || p.id === values.ownerId)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </SelectField>
          <SelectField label={t('customers.col.lifecycle')} value={values.lifecycle} onChange={(e) => set('lifecycle', e.currentTarget.value as Lifecycle)} error={fe('lifecycle')}>
            {LIFECYCLES.map((l) => (
              <option key={l} value={l}>
                {lifecycleLabel(l)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('customers.col.source')} value={values.source} onChange={(e) => set('source', e.currentTarget.value as Source)} error={fe('source')}>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <TagPicker label={t('customers.col.tags')} tags={lookups.tags} selected={values.tagIds} onChange={(ids) => set('tagIds', ids)} onCreate={addTag} />
      </Section>

      {lookups.defs.length > 0 && (
        <Section title={t('form.custom')}>
          <CustomFieldInputs
            defs={lookups.defs}
            values={values.customFields}
            onChange={(key, value) => set('customFields', { ...values.customFields, [key]: value })}
            error={(key) => {
              const def = lookups.defs.find((d) => d.key === key);
              return def ? customFieldMessage(error, def) : undefined;
            }}
          />
        </Section>
      )}

      <Section title={t('form.sensitive')}>
        <p class="-mt-1 text-sm text-slate-500 dark:text-slate-400">{t(isAdmin ? 'form.sensitiveBody' : 'form.sensitiveBodyMasked')}</p>
        <div class="grid gap-4 sm:grid-cols-2">
          <InputField
            label={t('customers.field.nationalId')}
            value={values.nationalId}
            autoComplete="off"
            placeholder={base?.nationalId ?? ''}
            hint={base?.nationalId ? t('form.sensitiveKeep') : undefined}
            onInput={(e) => set('nationalId', e.currentTarget.value)}
            error={fe('nationalId')}
          />
          <InputField
            label={t('customers.field.bankAccount')}
            value={values.bankAccount}
            autoComplete="off"
            placeholder={base?.bankAccount ?? ''}
            hint={base?.bankAccount ? t('form.sensitiveKeep') : undefined}
            onInput={(e) => set('bankAccount', e.currentTarget.value)}
            error={fe('bankAccount')}
          />
        </div>
      </Section>

      <div class="sticky bottom-16 z-10 -mx-4 flex justify-end gap-2 border-t border-slate-200 bg-slate-50/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:border lg:bottom-0 dark:border-slate-800 dark:bg-slate-950/90">
        <ButtonLink href={cancelHref}>{t('common.cancel')}</ButtonLink>
        <Button type="submit" tone="primary" busy={busy}>
          {base ? t('common.save') : t('form.create')}
        </Button>
      </div>

      {duplicates && (
        <DuplicatePrompt
          duplicates={duplicates}
          busy={busy}
          editing={Boolean(base)}
          onClose={() => setDuplicates(null)}
          onCreateAnyway={() => void save({ force: true })}
          onMerge={(targetId) => void save({ force: true, mergeInto: targetId })}
        />
      )}
    </form>
  );
}
