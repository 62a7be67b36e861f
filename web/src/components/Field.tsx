import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

export const inputClass =
  'block w-full min-w-0 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 ' +
  'focus:border-accent focus:ring-2 focus:ring-accent/25 focus:outline-none disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 ' +
  'aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:disabled:bg-slate-800 dark:placeholder:text-slate-500';

type FieldProps = {
  label: ComponentChildren;
  error?: string;
  hint?: ComponentChildren;
  class?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
};

/** A label, a control, a hint and the API's message for this field, wired for screen readers. */
export function Field({ label, error, hint, class: className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : '';
  const errorId = error ? `${id}-error` : '';
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={className}>
      <label for={id} class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && !error && (
        <p id={hintId} class="mt-1.5 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

type InputFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'label'> & { label: ComponentChildren; error?: string; hint?: ComponentChildren; fieldClass?: string };

export function InputField({ label, error, hint, fieldClass, ...input }: InputFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} class={fieldClass}>
      {({ id, describedBy, invalid }) => <input id={id} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} {...input} />}
    </Field>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'label'> & { label: ComponentChildren; error?: string; hint?: ComponentChildren; fieldClass?: string; children: ComponentChildren };

export function SelectField({ label, error, hint, fieldClass, children, ...select }: SelectFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} class={fieldClass}>
      {({ id, describedBy, invalid }) => (
        <select id={id} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({ label, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, 'label'> & { label: ComponentChildren }) {
  return (
    <label class="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
      <input type="checkbox" class="size-4 rounded border-slate-300 accent-[var(--accent,#4f46e5)] dark:border-slate-600" {...input} />
      <span>{label}</span>
    </label>
  );
}

/** The form-level message (problem `detail`, translated). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/50 dark:text-red-300">
      {message}
    </div>
  );
}
