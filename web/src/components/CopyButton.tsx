import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { Button } from './Button';

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt(t('common.copyManually'), text);
    }
  };
  return (
    <Button size="sm" icon={copied ? 'check' : 'copy'} onClick={copy}>
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </Button>
  );
}
