import type { ComponentChildren } from 'preact';
import { ButtonLink } from '../../components/Button';
import { Badge } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { ApiError } from '../../lib/api';
import { locale } from '../../lib/i18n';
import { t } from '../../lib/i18n';
import type { Deal, StageKind } from './api';

/** A calendar day (`2026-12-31`, no time zone) in the reader's language. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '';
  return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** A `YYYY-MM` month in the reader's language ("Dec 2026", "2026年12月"). */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** Whole days since the deal last moved or saw an activity. */
export function idleDays(deal: Pick<Deal, 'stageEnteredAt' | 'lastActivityAt'>, now = Date.now()): number {
  const last = Math.max(Date.parse(deal.stageEnteredAt), Date.parse(deal.lastActivityAt));
  return Math.max(0, Math.floor((now - last) / 86_400_000));
}

/** Seconds as "3 d 4 h" / "5 h" / "12 min". */
export function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  if (days > 0) return t('pl.duration.dh', { days, hours });
  if (hours > 0) return t('pl.duration.h', { hours });
  return t('pl.duration.m', { minutes: Math.max(0, Math.round(seconds / 60)) });
}

export const KIND_TONE = { open: 'accent', won: 'green', lost: 'red' } as const;

export function StatusBadge({ status }: { status: StageKind }) {
  return <Badge tone={KIND_TONE[status]}>{t(`pl.status.${status}`)}</Badge>;
}

export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;
export const isStale = (err: unknown) => err instanceof ApiError && err.status === 412;

/** The customer a deal is for: its company, its contact, or both. */
export function customerOf(deal: Pick<Deal, 'contactName' | 'companyName'>): string {
  if (deal.companyName && deal.contactName) return `${deal.contactName} · ${deal.companyName}`;
  return deal.companyName ?? deal.contactName ?? '';
}

/** A label and a value in a definition list. */
export function Row({ label, children }: { label: string; children: ComponentChildren }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div class="grid grid-cols-[8rem_1fr] gap-3 py-2 text-sm">
      <dt class="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** A deal that does not exist or that the reader may not see (the API answers 404 for both). */
export function NotFound() {
  return (
    <EmptyState
      icon="search"
      title={t('pl.notFound.title')}
      body={t('pl.notFound.body')}
      action={
        <ButtonLink href="/pipeline" tone="primary">
          {t('pl.notFound.back')}
        </ButtonLink>
      }
    />
  );
}
