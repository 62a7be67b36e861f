import type { ScoringRule } from '../../db/tables/leads';

export type ScoreInput = {
  fields: Record<string, string>;
  source: 'form' | 'hook';
  utm: { utmSource?: string | null; utmMedium?: string | null; utmCampaign?: string | null };
  /** Earlier submissions of the same person. */
  previousSubmissions: number;
};

/** Baseline points, before a form's own rules: reachable people and returning visitors score higher. */
const BASE = { email: 10, phone: 10, repeat: 10 };

/** A rule-based lead score from field values, source, UTM and repeat visits (0–100). */
export function scoreLead(rules: ScoringRule[], input: ScoreInput, reach: { email: boolean; phone: boolean }): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const add = (points: number, why: string) => {
    if (!points) return;
    score += points;
    reasons.push(`${points > 0 ? '+' : ''}${points} ${why}`);
  };
  if (reach.email) add(BASE.email, 'email');
  if (reach.phone) add(BASE.phone, 'phone');
  const hasRepeatRule = rules.some((r) => r.when === 'repeat');
  if (input.previousSubmissions > 0 && !hasRepeatRule) add(BASE.repeat, 'returning');
  const eq = (a: string | null | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
  for (const r of rules) {
    switch (r.when) {
      case 'field_equals':
        if (eq(input.fields[r.field], r.value)) add(r.points, `${r.field}=${r.value}`);
        break;
      case 'field_present':
        if ((input.fields[r.field] ?? '').trim()) add(r.points, `${r.field}`);
        break;
      case 'utm_source':
        if (eq(input.utm.utmSource, r.value)) add(r.points, `utm_source=${r.value}`);
        break;
      case 'utm_medium':
        if (eq(input.utm.utmMedium, r.value)) add(r.points, `utm_medium=${r.value}`);
        break;
      case 'utm_campaign':
        if (eq(input.utm.utmCampaign, r.value)) add(r.points, `utm_campaign=${r.value}`);
        break;
      case 'source':
        if (input.source === r.value) add(r.points, `source=${r.value}`);
        break;
      case 'repeat':
        if (input.previousSubmissions > 0) add(r.points, 'returning');
        break;
    }
  }
  return { score: Math.max(0, Math.min(100, score)), reasons };
}
