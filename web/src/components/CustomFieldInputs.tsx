import type { CustomFieldDef, CustomValue, CustomValues } from '../lib/custom-fields';
import { t } from '../lib/i18n';
import { Checkbox, Field, inputClass } from './Field';

type Props = {
  defs: CustomFieldDef[];
  values: CustomValues;
  onChange: (key: string, value: CustomValue) => void;
  /** The message for one field (the API names them `customFields.<key>`). */
  error: (key: string) => string | undefined;
};

/** Inputs for the workspace's custom fields, in their defined order, validated like the built-in ones. */
export function CustomFieldInputs({ defs, values, onChange, error }: Props) {
  if (defs.length === 0) return null;
  return (
    <div class="grid gap-4 sm:grid-cols-2">
      {defs.map((def) => (
        <CustomFieldInput key={def.id} def={def} value={values[def.key] ?? null} onChange={(v) => onChange(def.key, v)} error={error(def.key)} />
      ))}
    </div>
  );
}

function CustomFieldInput({ def, value, onChange, error }: { def: CustomFieldDef; value: CustomValue; onChange: (v: CustomValue) => void; error?: string }) {
  const label = (
    <>
      {def.label}
      {def.isRequired && (
        <span class="text-red-600 dark:text-red-400" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </>
  );
  if (def.type === 'multiselect') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset class="sm:col-span-2">
        <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{label}</legend>
        <div class="flex flex-wrap gap-x-4 gap-y-2">
          {def.options.map((option) => (
            <Checkbox
              key={option}
              label={option}
              checked={chosen.includes(option)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, option] : chosen.filter((o) => o !== option))}
            />
          ))}
        </div>
        {error && (
          <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  return (
    <Field label={label} error={error}>
      {({ id, describedBy, invalid }) => {
        const common = { id, class: inputClass, 'aria-invalid': invalid, 'aria-describedby': describedBy, required: def.isRequired };
        if (def.type === 'select' || def.type === 'boolean') {
          const current = def.type === 'boolean' ? (value === true ? 'true' : value === false ? 'false' : '') : typeof value === 'string' ? value : '';
          return (
            <select
              {...common}
              value={current}
              onChange={(e) => {
                const v = e.currentTarget.value;
                onChange(def.type === 'boolean' ? (v === '' ? null : v === 'true') : v || null);
              }}
            >
              <option value="">{t('customFields.none')}</option>
              {def.type === 'boolean' ? (
                <>
                  <option value="true">{t('customFields.yes')}</option>
                  <option value="false">{t('customFields.no')}</option>
                </>
              ) : (
                def.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))
              )}
            </select>
          );
        }
        const type = def.type === 'date' ? 'date' : def.type === 'url' ? 'url' : 'text';
        return (
          <input
            {...common}
            type={type}
            inputMode={def.type === 'number' ? 'decimal' : undefined}
            placeholder={def.type === 'url' ? 'https://' : undefined}
            value={value === null ? '' : String(value)}
            onInput={(e) => onChange(e.currentTarget.value)}
          />
        );
      }}
    </Field>
  );
}

/** A stored custom value as text for a detail page. */
export function customValueText(def: CustomFieldDef, value: CustomValue | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (def.type === 'boolean') return value ? t('customFields.yes') : t('customFields.no');
  if (Array.isArray(value)) return value.join(t('common.listSeparator'));
  return String(value);
}
