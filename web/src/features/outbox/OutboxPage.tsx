import type { ComponentChildren } from 'preact';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { ButtonLink } from '../../components/Button';
import { Pager } from '../../components/Pager';
import { AsyncList, EmptyState, ErrorState, Loading } from '../../components/States';
import { td, Table } from '../../components/Table';
import { formatDateTime } from '../../lib/format';
import { useAsync, useCursorPages } from '../../lib/hooks';
import { t, tMaybe } from '../../lib/i18n';
import { getOutboxMessage, listOutbox, type OutboxMessage } from './api';

const STATUS_TONE = { queued: 'amber', sent: 'green', kept: 'accent', failed: 'red' } as const;

function StatusBadge({ status }: { status: OutboxMessage['status'] }) {
  return <Badge tone={STATUS_TONE[status]}>{t(`outbox.status.${status}`)}</Badge>;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"')]+)/g;

/** Plain text with its URLs as links (emails are text; nothing is parsed as HTML). */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} target="_blank" rel="noopener noreferrer" class="font-medium break-all text-accent-text underline underline-offset-2">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function OutboxPage() {
  const messages = useCursorPages((cursor, signal) => listOutbox(cursor, signal));
  return (
    <>
      <PageHeader title={t('settings.outbox')} description={t('outbox.description')} />
      <Card>
        <AsyncList state={messages} empty={<EmptyState icon="mail" title={t('outbox.emptyTitle')} body={t('outbox.emptyBody')} />}>
          {(data) => (
            <Table label={t('settings.outbox')} columns={[t('outbox.subject'), t('outbox.to'), t('outbox.kind'), t('field.status'), t('outbox.created')]}>
              {data.items.map((m) => (
                <tr key={m.id} class="hover:bg-slate-50 dark:hover:bg-slate-800/50">
                  <td class={`${td} max-w-xs`}>
                    <a href={`/settings/outbox/${m.id}`} class="block truncate font-medium text-accent-text hover:underline">
                      {m.subject}
                    </a>
                  </td>
                  <td class={`${td} whitespace-nowrap`}>{m.toAddress}</td>
                  <td class={`${td} whitespace-nowrap`}>{tMaybe(`outbox.kind.${m.kind}`, m.kind)}</td>
                  <td class={td}>
                    <StatusBadge status={m.status} />
                  </td>
                  <td class={`${td} whitespace-nowrap text-slate-500 dark:text-slate-400`}>{formatDateTime(m.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )}
        </AsyncList>
        <Pager page={messages.pageNumber} hasPrevious={messages.hasPrevious} hasNext={messages.hasNext} onPrevious={messages.previous} onNext={messages.next} />
      </Card>
    </>
  );
}

export function OutboxMessagePage({ id }: { id?: string }) {
  const message = useAsync((signal) => getOutboxMessage(id ?? '', signal), [id]);
  const back = (
    <ButtonLink href="/settings/outbox" icon="left" size="sm">
      {t('outbox.back')}
    </ButtonLink>
  );
  if (message.error || !message.data) {
    return (
      <>
        <div class="mb-4">{back}</div>
        <Card>{message.error ? <ErrorState error={message.error} onRetry={message.reload} /> : <Loading />}</Card>
      </>
    );
  }
  const m = message.data;
  const meta: [string, ComponentChildren][] = [
    [t('outbox.to'), m.toAddress],
    [t('outbox.kind'), tMaybe(`outbox.kind.${m.kind}`, m.kind)],
    [t('field.status'), <StatusBadge status={m.status} />],
    [t('outbox.transport'), m.transport],
    [t('outbox.created'), formatDateTime(m.createdAt, true)],
    ...(m.sentAt ? ([[t('outbox.sent'), formatDateTime(m.sentAt, true)]] as [string, string][]) : []),
  ];
  return (
    <>
      <div class="mb-4">{back}</div>
      <Card>
        <CardHeader title={<span>{m.subject}</span>} />
        <dl class="grid gap-x-6 gap-y-2 border-b border-slate-200 px-4 py-3 text-sm sm:grid-cols-[auto_1fr] sm:px-5 dark:border-slate-800">
          {meta.map(([label, value]) => (
            <div key={label} class="contents">
              <dt class="text-slate-500 dark:text-slate-400">{label}</dt>
              <dd class="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
        {m.error && <p class="border-b border-slate-200 bg-red-50 px-4 py-2 text-sm text-red-700 sm:px-5 dark:border-slate-800 dark:bg-red-950/50 dark:text-red-300">{m.error}</p>}
        <div class="px-4 py-4 text-sm leading-relaxed whitespace-pre-wrap sm:px-5">
          <Linkified text={m.textBody} />
        </div>
      </Card>
    </>
  );
}
