import '../../lib/i18n/leads';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { CopyButton } from '../../components/CopyButton';
import { Checkbox, Field, FormError, InputField, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import { CONTACT_TARGETS, createForm, deleteForm, FIELD_TYPES, getForm, rotateFormKey, updateForm, type FieldTarget, type Form, type FormField, type FormInput } from './api';
import { useLookups } from './lookups';
import { defaultRouting, Fieldset, RoutingFields, textareaClass } from './RoutingFields';

function newFormInput(): FormInput {
  return {
    name: '',
    locale: me.value?.workspace.locale ?? 'en',
    fields: [
      { name: 'name', label: t('leads.forms.sample.name'), type: 'text', mapTo: 'contact.name', required: true },
      { name: 'email', label: t('leads.forms.sample.email'), type: 'email', mapTo: 'contact.email', required: true },
      { name: 'phone', label: t('leads.forms.sample.phone'), type: 'tel', mapTo: 'contact.phone', required: false },
      { name: 'message', label: t('leads.forms.sample.message'), type: 'textarea', mapTo: 'note', required: false },
    ],
    consentText: null,
    consentRequired: false,
    thankYouUrl: null,
    thankYouMessage: null,
    allowedOrigins: [],
    ackEmail: false,
    turnstile: false,
    turnstileSiteKey: null,
    minFillSeconds: 3,
    ipLimitPerMinute: 10,
    formLimitPerMinute: 600,
    isActive: true,
    ...defaultRouting(),
  };
}

const toInput = (form: Form): FormInput => {
  const { id: _id, key: _key, version: _v, createdAt: _c, updatedAt: _u, publicUrl: _p, embedSnippet: _e, submissionCount: _s, ...input } = form;
  return input;
};

/** A field name a browser can post and a person can read in the raw payload. */
const slug = (label: string) =>
  label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

function FieldRow({ field, index, count, onChange, onMove, onRemove, targets, error }: { field: FormField; index: number; count: number; onChange: (f: FormField) => void; onMove: (to: number) => void; onRemove: () => void; targets: { value: FieldTarget; label: string }[]; error?: string }) {
  const n = index + 1;
  return (
    <li class="rounded-lg border border-slate-200 p-3 dark:border-slate-800" aria-label={t('leads.forms.fieldN', { n })}>
      <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <InputField
          label={t('leads.forms.fieldLabel')}
          value={field.label}
          onInput={(e) => {
            const label = e.currentTarget.value;
            // The posted name follows the label until someone edits the name itself.
            onChange({ ...field, label, name: field.name === slug(field.label) || !field.name ? slug(label) || field.name : field.name });
          }}
        />
        <InputField label={t('leads.forms.fieldName')} value={field.name} onInput={(e) => onChange({ ...field, name: e.currentTarget.value })} error={error} />
        <SelectField label={t('leads.forms.fieldType')} value={field.type} onChange={(e) => onChange({ ...field, type: e.currentTarget.value as FormField['type'] })}>
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`leads.forms.type.${type}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('leads.forms.mapTo')} value={field.mapTo} onChange={(e) => onChange({ ...field, mapTo: e.currentTarget.value as FieldTarget })}>
          {targets.map((target) => (
            <option key={target.value} value={target.value}>
              {target.label}
            </option>
          ))}
        </SelectField>
        {field.type === 'select' && (
          <InputField
            fieldClass="sm:col-span-2 lg:col-span-4"
            label={t('leads.forms.options')}
            hint={t('leads.forms.optionsHint')}
            value={(field.options ?? []).join(', ')}
            onInput={(e) => onChange({ ...field, options: e.currentTarget.value.split(/[,，]/).map((o) => o.trim()).filter(Boolean) })}
          />
        )}
      </div>
      <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
        <Checkbox label={t('leads.forms.required')} checked={field.required} onChange={(e) => onChange({ ...field, required: e.currentTarget.checked })} />
        <div class="flex gap-1">
          <Button size="sm" tone="ghost" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t('leads.forms.moveUp', { n })}>
            ↑
          </Button>
          <Button size="sm" tone="ghost" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t('leads.forms.moveDown', { n })}>
            ↓
          </Button>
          <Button size="sm" tone="ghost" icon="trash" disabled={count === 1} onClick={onRemove} aria-label={t('leads.forms.removeField', { n })} />
        </div>
      </div>
    </li>
  );
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A plain HTML form for sites that keep their own markup: the hidden fields carry attribution. */
export function plainHtmlExample(form: Form): string {
  const lines = [`<form action="${form.publicUrl}" method="post">`];
  for (const f of form.fields) {
    const req = f.required ? ' required' : '';
    const label = escapeHtml(f.label);
    if (f.type === 'hidden') lines.push(`  <input type="hidden" name="${f.name}" value="">`);
    else if (f.type === 'textarea') lines.push(`  <label>${label} <textarea name="${f.name}"${req}></textarea></label>`);
    else if (f.type === 'select')
      lines.push(`  <label>${label} <select name="${f.name}"${req}>${(f.options ?? []).map((o) => `<option>${escapeHtml(o)}</option>`).join('')}</select></label>`);
    else if (f.type === 'checkbox') lines.push(`  <label><input type="checkbox" name="${f.name}" value="yes"${req}> ${label}</label>`);
    else lines.push(`  <label>${label} <input type="${f.type}" name="${f.name}"${req}></label>`);
  }
  if (form.consentText) lines.push(`  <label><input type="checkbox" name="consent" value="yes"${form.consentRequired ? ' required' : ''}> ${escapeHtml(form.consentText)}</label>`);
  lines.push(
    '  <!-- where the visitor came from: fill these from your page\'s URL, or leave them empty -->',
    '  <input type="hidden" name="utm_source" value="">',
    '  <input type="hidden" name="utm_medium" value="">',
    '  <input type="hidden" name="utm_campaign" value="">',
    '  <input type="hidden" name="landing_page" value="">',
    '  <!-- leave empty: people never see it, bots fill it in -->',
    '  <input type="text" name="_hearth_hp" value="" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px" aria-hidden="true">',
    `  <button type="submit">${escapeHtml(t('leads.forms.sendButton'))}</button>`,
    '</form>',
  );
  return lines.join('\n');
}

function Snippet({ label, code, hint }: { label: string; code: string; hint?: string }) {
  return (
    <div>
      <div class="mb-1.5 flex items-center justify-between gap-2">
        <span class="text-sm font-medium text-slate-700 dark:text-slate-300">{label}</span>
        <CopyButton text={code} label={t('leads.forms.copy')} />
      </div>
      <pre aria-label={label} class="max-h-64 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">
        {code}
      </pre>
      {hint && <p class="mt-1.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
    </div>
  );
}

function PublishCard({ form, onChanged }: { form: Form; onChanged: (form: Form) => void }) {
  const [busy, setBusy] = useState(false);
  const rotate = async () => {
    const ok = await confirmAction({ title: t('leads.forms.rotateTitle'), body: t('leads.forms.rotateBody'), confirmLabel: t('leads.forms.rotate') });
    if (!ok) return;
    setBusy(true);
    try {
      onChanged(await rotateFormKey(form.id));
      toast(t('leads.forms.rotated'));
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <CardHeader title={t('leads.forms.publish')} description={t('leads.forms.publishHint')} />
      <div class="flex flex-col gap-5 px-4 py-4 sm:px-5">
        <div class="flex flex-wrap items-center gap-2 text-sm">
          <span class="font-medium text-slate-700 dark:text-slate-300">{t('leads.forms.key')}</span>
          <code class="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs break-all dark:bg-slate-800">{form.key}</code>
          <CopyButton text={form.key} />
          {can('forms:write') && (
            <Button size="sm" tone="ghost" icon="refresh" busy={busy} onClick={rotate}>
              {t('leads.forms.rotate')}
            </Button>
          )}
        </div>
        <div class="flex flex-wrap items-center gap-2 text-sm">
          <span class="font-medium text-slate-700 dark:text-slate-300">{t('leads.forms.hostedPage')}</span>
          <a href={form.publicUrl} target="_blank" rel="noopener" class="break-all text-accent-text hover:underline">
            {form.publicUrl}
          </a>
        </div>
        <Snippet label={t('leads.forms.embed')} code={form.embedSnippet} hint={t('leads.forms.embedHint')} />
        <Snippet label={t('leads.forms.plainHtml')} code={plainHtmlExample(form)} hint={t('leads.forms.plainHtmlHint')} />
      </div>
    </Card>
  );
}

function Editor({ initial, form, onSaved }: { initial: FormInput; form: Form | null; onSaved: (form: Form) => void }) {
  const lookups = useLookups();
  const [value, setValue] = useState<FormInput>(initial);
  const [origins, setOrigins] = useState(initial.allowedOrigins.join('\n'));
  const set = (changes: Partial<FormInput>) => setValue((v) => ({ ...v, ...changes }));
  const editable = can('forms:write');
  const submit = useSubmit(async () => {
    const input: FormInput = {
      ...value,
      name: value.name.trim(),
      consentText: value.consentText?.trim() || null,
      thankYouUrl: value.thankYouUrl?.trim() || null,
      thankYouMessage: value.thankYouMessage?.trim() || null,
      turnstileSiteKey: value.turnstileSiteKey?.trim() || null,
      allowedOrigins: origins.split(/[\s,]+/).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
      fields: value.fields.map((f) => (f.type === 'select' ? f : { ...f, options: undefined })),
    };
    const saved = form ? await updateForm(form.id, input, form.version) : await createForm(input);
    onSaved(saved);
  });
  const field = (name: string) => submit.field(name);
  const targets: { value: FieldTarget; label: string }[] = [
    ...CONTACT_TARGETS.map((target) => ({ value: target as FieldTarget, label: t(`leads.forms.target.${target}`) })),
    ...lookups.customFields.map((def) => ({ value: `custom.${def.key}` as FieldTarget, label: t('leads.forms.customTarget', { label: def.label }) })),
  ];
  const fieldNames = value.fields.map((f) => f.name).filter(Boolean);
  const setField = (i: number, f: FormField) => set({ fields: value.fields.map((x, j) => (j === i ? f : x)) });
  const move = (from: number, to: number) => {
    const fields = [...value.fields];
    const [f] = fields.splice(from, 1);
    fields.splice(to, 0, f);
    set({ fields });
  };
  const fieldError = (i: number) => {
    if (!(submit.error instanceof ApiError)) return undefined;
    const fe = submit.error.errors.find((e) => e.field.startsWith(`fields.${i}.`) || e.field === `fields.${i}`);
    return fe ? fe.message : undefined;
  };

  return (
    <form
      class="flex flex-col gap-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      <FormError message={submit.message} />
      <Card>
        {/* People who may only read forms see the settings without being able to change them. */}
        <fieldset disabled={!editable} class="flex min-w-0 flex-col gap-6 px-4 py-5 sm:px-5">
          <Fieldset legend={t('leads.forms.basics')}>
            <div class="grid gap-4 sm:grid-cols-2">
              <InputField label={t('field.name')} value={value.name} onInput={(e) => set({ name: e.currentTarget.value })} error={field('name')} placeholder={t('leads.forms.namePlaceholder')} />
              <SelectField label={t('leads.forms.language')} hint={t('leads.forms.languageHint')} value={value.locale} onChange={(e) => set({ locale: e.currentTarget.value as FormInput['locale'] })}>
                <option value="zh-CN">简体中文</option>
                <option value="en">English</option>
              </SelectField>
            </div>
            <Checkbox label={t('leads.forms.isActive')} checked={value.isActive} onChange={(e) => set({ isActive: e.currentTarget.checked })} />
          </Fieldset>

          <Fieldset legend={t('leads.forms.fields')} hint={t('leads.forms.fieldsHint')}>
            {field('fields') && !value.fields.some((_, i) => fieldError(i)) && (
              <p role="alert" class="text-sm font-medium text-red-600 dark:text-red-400">
                {field('fields')}
              </p>
            )}
            <ol class="flex flex-col gap-3">
              {value.fields.map((f, i) => (
                <FieldRow
                  key={i}
                  field={f}
                  index={i}
                  count={value.fields.length}
                  targets={targets}
                  error={fieldError(i)}
                  onChange={(next) => setField(i, next)}
                  onMove={(to) => move(i, to)}
                  onRemove={() => set({ fields: value.fields.filter((_, j) => j !== i) })}
                />
              ))}
            </ol>
            <div>
              <Button icon="plus" onClick={() => set({ fields: [...value.fields, { name: '', label: '', type: 'text', mapTo: 'none', required: false }] })}>
                {t('leads.forms.addField')}
              </Button>
            </div>
          </Fieldset>

          <Fieldset legend={t('leads.forms.consent')} hint={t('leads.forms.consentHint')}>
            <Field label={t('leads.forms.consentText')} error={field('consentText')}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} class={textareaClass} aria-describedby={describedBy} aria-invalid={invalid} value={value.consentText ?? ''} onInput={(e) => set({ consentText: e.currentTarget.value })} />
              )}
            </Field>
            <Checkbox label={t('leads.forms.consentRequired')} checked={value.consentRequired} disabled={!value.consentText?.trim()} onChange={(e) => set({ consentRequired: e.currentTarget.checked })} />
          </Fieldset>

          <Fieldset legend={t('leads.forms.afterSubmit')}>
            <InputField label={t('leads.forms.thankYouUrl')} type="url" inputMode="url" placeholder="https://www.example.com/thanks" hint={t('leads.forms.thankYouUrlHint')} value={value.thankYouUrl ?? ''} onInput={(e) => set({ thankYouUrl: e.currentTarget.value })} error={field('thankYouUrl')} />
            <Field label={t('leads.forms.thankYouMessage')} error={field('thankYouMessage')}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} class={textareaClass} aria-describedby={describedBy} aria-invalid={invalid} value={value.thankYouMessage ?? ''} onInput={(e) => set({ thankYouMessage: e.currentTarget.value })} />
              )}
            </Field>
            <Checkbox label={t('leads.forms.ackEmail')} checked={value.ackEmail} onChange={(e) => set({ ackEmail: e.currentTarget.checked })} />
          </Fieldset>

          <Fieldset legend={t('leads.forms.routing')} hint={t('leads.forms.routingHint')}>
            <RoutingFields value={value} onChange={(routing) => set(routing)} fieldNames={fieldNames} lookups={lookups} field={field} />
          </Fieldset>

          <Fieldset legend={t('leads.forms.protection')} hint={t('leads.forms.protectionHint')}>
            <Field label={t('leads.forms.allowedOrigins')} hint={t('leads.forms.allowedOriginsHint')} error={field('allowedOrigins')}>
              {({ id, describedBy, invalid }) => (
                <textarea id={id} class={`${textareaClass} font-mono`} aria-describedby={describedBy} aria-invalid={invalid} placeholder="https://www.example.com" value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
              )}
            </Field>
            <div class="grid gap-4 sm:grid-cols-3">
              <InputField label={t('leads.forms.minFill')} type="number" min={0} value={String(value.minFillSeconds)} onInput={(e) => set({ minFillSeconds: Number(e.currentTarget.value) })} error={field('minFillSeconds')} />
              <InputField label={t('leads.forms.ipLimit')} type="number" min={1} value={String(value.ipLimitPerMinute)} onInput={(e) => set({ ipLimitPerMinute: Number(e.currentTarget.value) })} error={field('ipLimitPerMinute')} />
              <InputField label={t('leads.forms.formLimit')} type="number" min={1} value={String(value.formLimitPerMinute)} onInput={(e) => set({ formLimitPerMinute: Number(e.currentTarget.value) })} error={field('formLimitPerMinute')} />
            </div>
            <Checkbox label={t('leads.forms.turnstile')} checked={value.turnstile} onChange={(e) => set({ turnstile: e.currentTarget.checked })} />
            {value.turnstile && (
              <InputField label={t('leads.forms.turnstileSiteKey')} hint={t('leads.forms.turnstileHint')} value={value.turnstileSiteKey ?? ''} onInput={(e) => set({ turnstileSiteKey: e.currentTarget.value })} error={field('turnstileSiteKey')} />
            )}
          </Fieldset>
        </fieldset>
        {editable && (
          <div class="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-4 py-3 sm:px-5 dark:border-slate-800 dark:bg-slate-900/60">
            <Button type="submit" tone="primary" busy={submit.busy}>
              {form ? t('common.save') : t('leads.forms.create')}
            </Button>
          </div>
        )}
      </Card>
    </form>
  );
}

/** Settings → Forms → one form (`new` creates one). */
export function FormEditorPage({ id }: { id: string }) {
  const { route } = useLocation();
  const isNew = id === 'new';
  const state = useAsync((signal) => (isNew ? Promise.resolve(null) : getForm(id, signal)), [id]);
  // What was saved here wins over what was loaded, until another form opens.
  const [saved, setSaved] = useState<Form | null>(null);
  const [generation, setGeneration] = useState(0);
  const form = saved && saved.id === id ? saved : (state.data ?? null);

  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!form && !isNew) return <Loading />;

  const remove = async () => {
    if (!form) return;
    const ok = await confirmAction({ title: t('leads.forms.deleteTitle', { name: form.name }), body: t('leads.forms.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteForm(form.id, form.version);
      toast(t('leads.forms.deleted', { name: form.name }));
      route('/settings/forms');
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  return (
    <>
      <a href="/settings/forms" class="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        ← {t('leads.forms.title')}
      </a>
      <PageHeader
        title={form ? form.name : t('leads.forms.newTitle')}
        description={form ? t('leads.forms.submissionCount', { count: form.submissionCount ?? 0 }) : t('leads.forms.newDescription')}
        actions={
          form &&
          can('forms:write') && (
            <Button tone="ghost" icon="trash" onClick={remove}>
              {t('common.delete')}
            </Button>
          )
        }
      />
      <div class="flex flex-col gap-5">
        {form && <PublishCard form={form} onChanged={setSaved} />}
        <Editor
          key={`${form?.id ?? 'new'}-${generation}`}
          initial={form ? toInput(form) : newFormInput()}
          form={form}
          onSaved={(next) => {
            toast(t(form ? 'leads.forms.saved' : 'leads.forms.created', { name: next.name }));
            setSaved(next);
            setGeneration((g) => g + 1);
            if (!form) route(`/settings/forms/${next.id}`, true);
          }}
        />
      </div>
    </>
  );
}
