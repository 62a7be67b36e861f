import { useId, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { Button } from './Button';
import { inputClass } from './Field';
import { Icon } from './Icon';

export type TagRef = { id: string; name: string; color: string };

/** A tag as a small coloured chip. */
export function TagChip({ tag, onRemove }: { tag: TagRef; onRemove?: () => void }) {
  return (
    <span class="inline-flex max-w-full items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-xs font-medium text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200">
      <span class="size-2 shrink-0 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden="true" />
      <span class="truncate">{tag.name}</span>
      {onRemove && (
        <button type="button" class="-mr-1 rounded-full p-0.5 text-slate-400 hover:text-slate-700 dark:hover:text-slate-200" onClick={onRemove} aria-label={t('tags.remove', { name: tag.name })}>
          <Icon name="close" class="size-3" />
        </button>
      )}
    </span>
  );
}

type Props = {
  label: string;
  tags: TagRef[];
  selected: string[];
  onChange: (ids: string[]) => void;
  /** Offered when the typed name is not a tag yet. */
  onCreate?: (name: string) => Promise<TagRef>;
};

/** Chosen tags as chips, and a box to add one by name (or create it). */
export function TagPicker({ label, tags, selected, onChange, onCreate }: Props) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const inputId = useId();
  const chosen = selected.map((id) => tags.find((tag) => tag.id === id)).filter((tag): tag is TagRef => Boolean(tag));
  const name = text.trim();
  const existing = tags.find((tag) => tag.name.toLowerCase() === name.toLowerCase());
  const add = async () => {
    if (!name) return;
    if (existing) {
      if (!selected.includes(existing.id)) onChange([...selected, existing.id]);
      setText('');
      return;
    }
    if (!onCreate) return;
    setBusy(true);
    try {
      const created = await onCreate(name);
      onChange([...selected, created.id]);
      setText('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <label for={inputId} class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {chosen.length > 0 && (
        <div class="mb-2 flex flex-wrap gap-1.5">
          {chosen.map((tag) => (
            <TagChip key={tag.id} tag={tag} onRemove={() => onChange(selected.filter((id) => id !== tag.id))} />
          ))}
        </div>
      )}
      <div class="flex gap-2">
        <input
          id={inputId}
          class={inputClass}
          list={listId}
          value={text}
          placeholder={t('tags.addPlaceholder')}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void add();
            }
          }}
        />
        <datalist id={listId}>
          {tags
            .filter((tag) => !selected.includes(tag.id))
            .map((tag) => (
              <option key={tag.id} value={tag.name} />
            ))}
        </datalist>
        <Button size="md" icon="plus" busy={busy} disabled={!name || (!existing && !onCreate)} onClick={() => void add()}>
          {existing || !onCreate ? t('tags.add') : t('tags.create')}
        </Button>
      </div>
    </div>
  );
}
