import type { ComponentChildren } from 'preact';
import { signal } from '@preact/signals';
import { t } from '../lib/i18n';
import { Button } from './Button';
import { Dialog } from './Dialog';

type Request = { title: string; body: ComponentChildren; confirmLabel: string; danger?: boolean; resolve: (ok: boolean) => void };
const pending = signal<Request | null>(null);

/** Asks before a destructive action; resolves true when the person confirms. */
export function confirmAction(options: Omit<Request, 'resolve'>): Promise<boolean> {
  pending.value?.resolve(false);
  return new Promise((resolve) => (pending.value = { ...options, resolve }));
}

function settle(ok: boolean) {
  pending.value?.resolve(ok);
  pending.value = null;
}

export function ConfirmHost() {
  const request = pending.value;
  return (
    <Dialog
      open={Boolean(request)}
      onClose={() => settle(false)}
      title={request?.title}
      footer={
        <>
          <Button onClick={() => settle(false)}>{t('common.cancel')}</Button>
          <Button tone={request?.danger === false ? 'primary' : 'danger'} onClick={() => settle(true)}>
            {request?.confirmLabel}
          </Button>
        </>
      }
    >
      <div class="text-sm text-slate-600 dark:text-slate-300">{request?.body}</div>
    </Dialog>
  );
}
