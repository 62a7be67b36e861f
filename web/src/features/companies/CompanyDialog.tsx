import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Button, ButtonLink } from '../../components/Button';
import { Badge } from '../../components/Card';
import { CustomFieldInputs } from '../../components/CustomFieldInputs';
import { Dialog } from '../../components/Dialog';
import { FormError, InputField, SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { TagPicker, type TagRef } from '../../components/TagPicker';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { changedCustomValues, customFieldMessage, type CustomFieldDef, type CustomValues } from '../../lib/custom-fields';
import { fieldMessage, messageFor } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { me, type User } from '../../lib/session';
import { ADDRESS_PARTS, COMPANY_SIZES, createCompany, getCompany, updateCompany, type CompanyDetail, type CompanyDuplicate, type CompanyInput, type CompanySize } from './api';

type Values = {
  name: string;
  industry: string;
  size: CompanySize | '';
  website: string;
  phones: string;
  address: Record<(typeof ADDRESS_PARTS)[number], string>;
  ownerId: string;
  tagIds: string[];
  contractEndsOn: string;
  customFields: CustomValues;
};

const valuesOf = (c: CompanyDetail | null): Values => ({
  name: c?.name ?? '',
  industry: c?.industry ?? '',
  size: c?.size ?? '',
  website: c?.website ?? '',
  phones: c?.phones.join(', ') ?? '',
  address: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, c?.address[p] ?? ''])) as Values['address'],
  ownerId: c ? (c.ownerId ?? '') : (me.value?.user.id ?? ''),
  tagIds: c?.tags.map((x) => x.id) ?? [],
  contractEndsOn: c?.contractEndsOn ?? '',
  customFields: { ...(c?.customFields ?? {}) },
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const splitPhones = (s: string) =>
  s
    .split(/[,，;；\n]/)
    .map((p) => p.trim())
    .filter(Boolean);

function inputFrom(v: Values, base: CompanyDetail | null, defs: CustomFieldDef[]): CompanyInput {
  const b = valuesOf(base);
  const out: CompanyInput = {};
  const changed = (k: keyof Values) => !base || !same(v[k], b[k]);
  if (changed('name')) out.name = v.name.trim();
  if (changed('industry')) out.industry = v.industry.trim() || null;
  if (changed('size')) out.size = v.size || null;
  if (changed('website')) out.website = v.website.trim() || null;
  if (changed('phones')) out.phones = splitPhones(v.phones);
  if (changed('address')) out.address = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, v.address[p].trim() || null]));
  if (changed('ownerId')) out.ownerId = v.ownerId || null;
  if (changed('tagIds')) out.tagIds = v.tagIds;
  if (changed('contractEndsOn')) out.contractEndsOn = v.contractEndsOn || null;
  const custom = changedCustomValues(defs, v.customFields, base?.customFields);
  if (custom) out.customFields = custom;
  return out;
}

type Props = { company: CompanyDetail | null; people: User[]; tags: TagRef[]; defs: CustomFieldDef[]; onCreateTag: (name: string) => Promise<TagRef>; onClose: () => void; onSaved: (company: CompanyDetail) => void };

/** Create or edit a company; a likely duplicate (same website or name) is offered before a second is made. */
export function CompanyDialog({ company, people, tags, defs, onCreateTag, onClose, onSaved }: Props) {
  const [base, setBase] = useState(company);
  const [values, setValues] = useState(() => valuesOf(company));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [duplicates, setDuplicates] = useState<CompanyDuplicate[] | null>(null);
  const [stale, setStale] = useState(false);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const save = async (force = false) => {
    setBusy(true);
    setError(null);
    try {
      const input = { ...inputFrom(values, base, defs), ...(force ? { force: true } : {}) };
      const saved = base ? await updateCompany(base.id, base.version, input) : await createCompany(input);
      toast(t(base ? 'companies.saved' : 'companies.created', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'duplicate_company') setDuplicates((err.problem.duplicates as CompanyDuplicate[] | undefined) ?? []);
      else if (err instanceof ApiError && err.code === 'version_mismatch') setStale(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const reloadLatest = async () => {
    if (!base) return;
    try {
      const fresh = await getCompany(base.id);
      const before = valuesOf(base);
      const merged = valuesOf(fresh);
      for (const key of Object.keys(values) as (keyof Values)[]) if (!same(values[key], before[key])) (merged as Record<string, unknown>)[key] = values[key];
      setBase(fresh);
      setValues(merged);
      setStale(false);
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const fe = (field: string) => {
    if (field === 'website' && error instanceof ApiError && error.fieldError('website')) return t('companies.websiteInvalid');
    if (field === 'phones' && error instanceof ApiError && error.fieldError('phones')) return t('companies.phoneInvalid');
    return fieldMessage(error, field);
  };

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={base ? t('companies.editTitle', { name: base.name }) : t('companies.newTitle')}
      footer={
        duplicates ? (
          <Fragment key="duplicates">
            <Button onClick={() => setDuplicates(null)}>{t('duplicates.back')}</Button>
            <Button busy={busy} onClick={() => void save(true)}>
              {t(base ? 'duplicates.saveAnyway' : 'duplicates.createAnyway')}
            </Button>
          </Fragment>
        ) : (
          <Fragment key="form">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" form="company-form" tone="primary" busy={busy}>
              {base ? t('common.save') : t('companies.create')}
            </Button>
          </Fragment>
        )
      }
    >
      {duplicates ? (
        <div class="flex flex-col gap-3">
          <p class="text-sm text-slate-600 dark:text-slate-300">{t('companies.duplicateBody')}</p>
          <ul class="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {duplicates
              .filter((d) => d.visible && d.id)
              .map((d) => (
                <li key={d.id} class="flex flex-wrap items-center gap-3 px-3 py-3">
                  <span class="min-w-0 flex-1 truncate font-medium">{d.name}</span>
                  {d.matchedOn.map((m) => (
                    <Badge key={m} tone="amber">
                      {t(`companies.matchedOn.${m}`)}
                    </Badge>
                  ))}
                  <ButtonLink size="sm" href={`/companies/${d.id}`}>
                    {t('duplicates.open')}
                  </ButtonLink>
                </li>
              ))}
          </ul>
          {duplicates.some((d) => !d.visible) && <p class="text-xs text-slate-500">{t('duplicates.hidden', { count: duplicates.filter((d) => !d.visible).length })}</p>}
        </div>
      ) : (
        <form
          id="company-form"
          class="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {stale && (
            <div role="alert" class="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200">
              <Icon name="alert" class="size-4" />
              <span class="min-w-0 flex-1">{t('form.stale')}</span>
              <Button size="sm" icon="refresh" onClick={() => void reloadLatest()}>
                {t('common.reload')}
              </Button>
            </div>
          )}
          <FormError message={error instanceof ApiError && error.status === 422 ? t('error.validation') : error ? messageFor(error) : null} />
          <InputField label={t('field.name')} value={values.name} onInput={(e) => set('name', e.currentTarget.value)} error={fe('name')} autoFocus />
          <div class="grid gap-4 sm:grid-cols-2">
            <InputField label={t('companies.industry')} value={values.industry} onInput={(e) => set('industry', e.currentTarget.value)} error={fe('industry')} />
            <SelectField label={t('companies.size')} value={values.size} onChange={(e) => set('size', e.currentTarget.value as CompanySize | '')} error={fe('size')}>
              <option value="">—</option>
              {COMPANY_SIZES.map((s) => (
                <option key={s} value={s}>
                  {t('companies.sizeValue', { size: s })}
                </option>
              ))}
            </SelectField>
            <InputField label={t('companies.website')} value={values.website} placeholder="example.com" onInput={(e) => set('website', e.currentTarget.value)} error={fe('website')} />
            <InputField label={t('companies.phones')} type="tel" value={values.phones} hint={t('companies.phonesHint')} onInput={(e) => set('phones', e.currentTarget.value)} error={fe('phones')} />
            <SelectField label={t('customers.col.owner')} value={values.ownerId} onChange={(e) => set('ownerId', e.currentTarget.value)} error={fe('ownerId')}>
              <option value="">{t('customers.unassigned')}</option>
              {people
                .filter((p) => p.isActive || p.id === values.ownerId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </SelectField>
            <InputField label={t('companies.contractEndsOn')} type="date" value={values.contractEndsOn} onInput={(e) => set('contractEndsOn', e.currentTarget.value)} error={fe('contractEndsOn')} />
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
          <TagPicker label={t('customers.col.tags')} tags={tags} selected={values.tagIds} onChange={(ids) => set('tagIds', ids)} onCreate={onCreateTag} />
          <CustomFieldInputs
            defs={defs}
            values={values.customFields}
            onChange={(key, value) => set('customFields', { ...values.customFields, [key]: value })}
            error={(key) => {
              const def = defs.find((d) => d.key === key);
              return def ? customFieldMessage(error, def) : undefined;
            }}
          />
        </form>
      )}
    </Dialog>
  );
}
