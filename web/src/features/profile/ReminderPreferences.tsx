import '../../lib/i18n/notifications';
import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Card, CardHeader } from '../../components/Card';
import { Checkbox, FormError, InputField, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { useAsync, useSubmit } from '../../lib/hooks';
import { tn } from '../../lib/i18n/notifications';
import { me } from '../../lib/session';
import { getReminderPrefs, saveReminderPrefs, type ReminderPrefs } from './api';

const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

function PrefsForm({ prefs }: { prefs: ReminderPrefs }) {
  const [emailMode, setEmailMode] = useState(prefs.emailMode);
  const [digestHour, setDigestHour] = useState(prefs.digestHour);
  const [quiet, setQuiet] = useState(prefs.quietStart !== null);
  const [quietStart, setQuietStart] = useState(prefs.quietStart ?? '21:00');
  const [quietEnd, setQuietEnd] = useState(prefs.quietEnd ?? '08:00');
  const submit = useSubmit(async () => {
    await saveReminderPrefs({ emailMode, digestHour, quietStart: quiet ? quietStart : null, quietEnd: quiet ? quietEnd : null });
    toast(tn('prefs.saved'));
  });
  // The zone shown follows a change saved in the details form above.
  const zone = me.value?.user.timezone ?? me.value?.workspace.timezone ?? prefs.effectiveTimezone;
  return (
    <form
      class="grid gap-4 p-4 sm:grid-cols-2 sm:p-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      {submit.message && (
        <div class="sm:col-span-2">
          <FormError message={submit.message} />
        </div>
      )}
      <fieldset class="sm:col-span-2">
        <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tn('prefs.emailMode')}</legend>
        <div class="flex flex-col gap-2 text-sm">
          {(['each', 'digest', 'off'] as const).map((mode) => (
            <label key={mode} class="flex items-center gap-2">
              <input type="radio" name="emailMode" value={mode} checked={emailMode === mode} onChange={() => setEmailMode(mode)} />
              {tn(`prefs.mode.${mode}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {emailMode === 'digest' && (
        <SelectField label={tn('prefs.digestHour')} value={String(digestHour)} onChange={(e) => setDigestHour(Number(e.currentTarget.value))} error={submit.field('digestHour')}>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={String(h)}>
              {hourLabel(h)}
            </option>
          ))}
        </SelectField>
      )}
      <fieldset class="sm:col-span-2">
        <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tn('prefs.quiet')}</legend>
        <Checkbox label={tn('prefs.quietOn')} checked={quiet} onChange={(e) => setQuiet(e.currentTarget.checked)} />
        {quiet && (
          <div class="mt-3 grid gap-4 sm:grid-cols-2">
            <InputField label={tn('prefs.quietStart')} type="time" value={quietStart} onInput={(e) => setQuietStart(e.currentTarget.value)} error={submit.field('quietStart')} />
            <InputField label={tn('prefs.quietEnd')} type="time" value={quietEnd} onInput={(e) => setQuietEnd(e.currentTarget.value)} error={submit.field('quietEnd')} />
          </div>
        )}
        <p class="mt-1.5 text-xs text-slate-500 dark:text-slate-400">{tn('prefs.quietHint')}</p>
      </fieldset>
      <p class="text-sm text-slate-600 sm:col-span-2 dark:text-slate-300">{tn('prefs.zone', { zone })}</p>
      <div class="flex justify-end sm:col-span-2">
        <Button type="submit" busy={submit.busy}>
          {tn('prefs.save')}
        </Button>
      </div>
    </form>
  );
}

/** Email each / daily digest at an hour / off, and quiet hours, for the signed-in person. */
export function ReminderPreferences() {
  const prefs = useAsync((signal) => getReminderPrefs(signal), []);
  // Re-read after the details form saves another time zone.
  const zone = me.value?.user.timezone;
  useEffect(() => {
    if (prefs.data && zone !== prefs.data.timezone) prefs.reload();
  }, [zone]);
  return (
    <Card>
      <CardHeader title={tn('prefs.title')} description={tn('prefs.body')} />
      {prefs.error && !prefs.data ? <ErrorState error={prefs.error} onRetry={prefs.reload} /> : !prefs.data ? <Loading /> : <PrefsForm key={prefs.data.version} prefs={prefs.data} />}
    </Card>
  );
}
