import { Button } from './Button';
import { Icon } from './Icon';

const TONES = {
  deleted: { icon: 'trash', class: 'border-red-200 bg-red-50 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200' },
  archived: { icon: 'archive', class: 'border-slate-200 bg-slate-100 dark:border-slate-800 dark:bg-slate-900' },
} as const;

/** The strip above a record in the bin or the archive, with the way back for those who may take it. */
export function RecordStateNotice({ state, message, action }: { state: keyof typeof TONES; message: string; action?: { label: string; onClick: () => void } }) {
  const tone = TONES[state];
  return (
    <div class={`flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm ${tone.class}`} role="status">
      <Icon name={tone.icon} class="size-4" />
      <span class="flex-1">{message}</span>
      {action && (
        <Button size="sm" icon="undo" onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </div>
  );
}
