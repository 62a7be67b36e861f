import { effect, signal } from '@preact/signals';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'hearth.theme';

function saved(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export const theme = signal<ThemeChoice>(saved());
const systemDark = signal(false);

/** Applies the chosen theme (or the system's) to <html> and keeps it in step with both. */
export function startTheme() {
  const media = matchMedia('(prefers-color-scheme: dark)');
  systemDark.value = media.matches;
  media.addEventListener('change', (e) => (systemDark.value = e.matches));
  effect(() => {
    const dark = theme.value === 'dark' || (theme.value === 'system' && systemDark.value);
    document.documentElement.classList.toggle('dark', dark);
  });
}

export function setTheme(choice: ThemeChoice) {
  theme.value = choice;
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    /* private mode: the choice lasts for this visit */
  }
}

export const isDark = () => theme.value === 'dark' || (theme.value === 'system' && systemDark.value);
